import { UsageError } from '@lifeboat/plugin-api';

/** Which configured instance a secret belongs to. A plugin only ever sees its own instance's scope. */
export interface SecretScope {
  pluginId: string;
  kind: 'source' | 'destination';
  /** The user's name for the instance (`offsite`). */
  name: string;
}

/** Where secrets are kept: the OS keychain (default) or the encrypted vault file, chosen by the user. */
export type SecretBackend = 'keychain' | 'vault';

/**
 * The secrets port. Values never appear in messages, logs or errors; implementations keep to that.
 *
 * Each store tracks which keys it holds per scope itself (the keychain in an index item, the vault in its
 * file), so `deleteAll(scope)` needs nothing from the caller; `knownKeys` (the config's `secrets` list) is
 * deleted as well, which also covers items written before the index existed or lost to a concurrent write.
 */
export interface SecretStore {
  readonly backend: SecretBackend;
  get(scope: SecretScope, key: string): Promise<string | undefined>;
  set(scope: SecretScope, key: string, value: string): Promise<void>;
  delete(scope: SecretScope, key: string): Promise<void>;
  /** Every secret of one instance: used when a source or destination is removed. */
  deleteAll(scope: SecretScope, knownKeys?: readonly string[]): Promise<void>;
  /** For messages: "the OS keychain (Secret Service)", "the encrypted vault at /x/secrets.vault". */
  describe(): string;
}

// Starts with a letter or digit, so names like the keychain's own index item (`__keys__`) can't collide.
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertSecretKey(key: string): void {
  if (!KEY.test(key)) {
    throw new UsageError(`"${key}" is not a valid secret name`, {
      hint: 'use letters, digits, ".", "_" or "-" (up to 128), starting with a letter or digit',
    });
  }
}

/** The keychain service for one instance: the project's own prefix, so nothing foreign lives under it. */
export function serviceName(scope: SecretScope, prefix = 'lifeboat'): string {
  return `${prefix}/${scope.pluginId}/${scope.kind}/${scope.name}`;
}

/** `destination "offsite"`, for messages. */
export function describeScope(scope: SecretScope): string {
  return `${scope.kind} "${scope.name}"`;
}
