import { assertSecretKey, type SecretScope, type SecretStore, serviceName } from './secret-store.js';

/** An in-memory store for tests of code that uses secrets (CLI commands, plugins). */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'keychain';
  readonly #items = new Map<string, Map<string, string>>();

  describe(): string {
    return 'the in-memory secret store';
  }

  async get(scope: SecretScope, key: string): Promise<string | undefined> {
    assertSecretKey(key);
    return this.#items.get(serviceName(scope))?.get(key);
  }

  async set(scope: SecretScope, key: string, value: string): Promise<void> {
    assertSecretKey(key);
    const service = serviceName(scope);
    const keys = this.#items.get(service) ?? new Map<string, string>();
    this.#items.set(service, keys.set(key, value));
  }

  async delete(scope: SecretScope, key: string): Promise<void> {
    assertSecretKey(key);
    this.#items.get(serviceName(scope))?.delete(key);
  }

  async deleteAll(scope: SecretScope): Promise<void> {
    this.#items.delete(serviceName(scope));
  }
}
