import { createRequire } from 'node:module';
import {
  assertSecretKey,
  README_SECRETS,
  type SecretScope,
  type SecretStore,
  SecretStoreError,
  serviceName,
} from '@lifeboat/core';

/** The part of keytar used here. Not `findCredentials`: it can crash the process on items keytar did not write. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarStoreOptions {
  /** First part of every service name; tests use a unique one so runs never meet. */
  servicePrefix?: string;
  /** How to get keytar; tests pass a fake. Default: the optional `keytar` package, loaded on first use. */
  load?: () => KeytarLike;
  platform?: NodeJS.Platform;
}

/** The account, under each instance's service, holding the JSON list of that instance's secret names. */
export const INDEX_ACCOUNT = '__keys__';

/**
 * Secrets in the OS keychain through keytar: one service per instance (`lifeboat/<plugin>/<kind>/<name>`),
 * account = secret name. An index item lists the names, so `deleteAll` finds them without `findCredentials`.
 * The index is written before a value is stored and after one is deleted, so it may list a name with no value
 * (harmless) but never miss a stored one, except when two processes change the same instance at once.
 */
export class KeytarStore implements SecretStore {
  readonly backend = 'keychain';
  readonly #prefix: string;
  readonly #load: () => KeytarLike;
  readonly #platform: NodeJS.Platform;
  #keytar: KeytarLike | undefined;
  // Index updates of one service run one after another, so two `set`s in a row keep both names.
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: KeytarStoreOptions = {}) {
    this.#prefix = options.servicePrefix ?? 'lifeboat';
    this.#load = options.load ?? (() => loadKeytar());
    this.#platform = options.platform ?? process.platform;
  }

  describe(): string {
    if (this.#platform === 'darwin') return 'the macOS Keychain';
    if (this.#platform === 'win32') return 'the Windows Credential Manager';
    return 'the OS keychain (Secret Service)';
  }

  async get(scope: SecretScope, key: string): Promise<string | undefined> {
    assertSecretKey(key);
    return (await this.#keytarModule().getPassword(this.#service(scope), key)) ?? undefined;
  }

  async set(scope: SecretScope, key: string, value: string): Promise<void> {
    assertSecretKey(key);
    const kt = this.#keytarModule();
    const service = this.#service(scope);
    await this.#serial(service, async () => {
      const keys = await this.#index(kt, service);
      if (!keys.includes(key)) await this.#writeIndex(kt, service, [...keys, key]);
      await kt.setPassword(service, key, value);
    });
  }

  async delete(scope: SecretScope, key: string): Promise<void> {
    assertSecretKey(key);
    const kt = this.#keytarModule();
    const service = this.#service(scope);
    await this.#serial(service, async () => {
      await kt.deletePassword(service, key);
      const keys = await this.#index(kt, service);
      if (keys.includes(key))
        await this.#writeIndex(
          kt,
          service,
          keys.filter((k) => k !== key),
        );
    });
  }

  async deleteAll(scope: SecretScope, knownKeys: readonly string[] = []): Promise<void> {
    for (const key of knownKeys) assertSecretKey(key);
    const kt = this.#keytarModule();
    const service = this.#service(scope);
    await this.#serial(service, async () => {
      const keys = new Set([...(await this.#index(kt, service)), ...knownKeys]);
      for (const key of keys) await kt.deletePassword(service, key);
      await kt.deletePassword(service, INDEX_ACCOUNT);
    });
  }

  #service(scope: SecretScope): string {
    return serviceName(scope, this.#prefix);
  }

  async #index(kt: KeytarLike, service: string): Promise<string[]> {
    const raw = await kt.getPassword(service, INDEX_ACCOUNT);
    if (raw === null) return [];
    try {
      const list: unknown = JSON.parse(raw);
      return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return []; // a damaged index only costs deleteAll its list; knownKeys still cover the config's names
    }
  }

  async #writeIndex(kt: KeytarLike, service: string, keys: string[]): Promise<void> {
    if (keys.length === 0) await kt.deletePassword(service, INDEX_ACCOUNT);
    else await kt.setPassword(service, INDEX_ACCOUNT, JSON.stringify(keys));
  }

  #serial<T>(service: string, work: () => Promise<T>): Promise<T> {
    const next = (this.#queues.get(service) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => {});
    this.#queues.set(service, settled);
    void settled.then(() => this.#queues.get(service) === settled && this.#queues.delete(service));
    return next;
  }

  #keytarModule(): KeytarLike {
    this.#keytar ??= this.#load();
    return this.#keytar;
  }
}

// keytar is an optional dependency (a native module that needs libsecret to build): load it only when used.
export function loadKeytar(id = 'keytar'): KeytarLike {
  try {
    return createRequire(import.meta.url)(id) as KeytarLike;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new SecretStoreError(
      `The OS keychain cannot be used: the keytar module is not installed or did not build (${reason})`,
      {
        hint:
          'on Debian/Ubuntu install libsecret-1-dev and run npm install again (macOS and Windows need nothing), ' +
          `or keep secrets in the encrypted vault instead (LIFEBOAT_SECRETS=vault): see ${README_SECRETS}`,
      },
    );
  }
}
