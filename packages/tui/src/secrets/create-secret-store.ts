import { FileVault, type SecretBackend, type SecretStore, withTimeout } from '@lifeboat/core';
import { KeytarStore } from './keytar-store.js';

export interface CreateSecretStoreOptions {
  /** From `chooseBackend(process.env, config)`: the user's explicit choice. */
  backend: SecretBackend;
  /** Where the vault lives when chosen, e.g. `<data dir>/secrets.vault`. */
  vaultPath: string;
  /** Asked only when the vault is opened: prompt on a TTY, else LIFEBOAT_VAULT_PASSPHRASE. */
  passphrase: () => Promise<string>;
  /** First part of the keychain's service names (keychainPrefix). */
  keychainPrefix?: string;
  /** Limit per keychain call. */
  timeoutMs?: number;
}

/**
 * The store the CLI uses. The keychain gets a time limit (a hung Secret Service must fail fast); the vault does
 * not, since a call may be waiting for the user to type the passphrase, but its errors are wrapped the same way.
 * No fallback from one to the other: a failing keychain's error tells the user how to choose the vault.
 */
export function createSecretStore(options: CreateSecretStoreOptions): SecretStore {
  if (options.backend === 'vault') {
    return withTimeout(new FileVault({ path: options.vaultPath, passphrase: options.passphrase }), Infinity);
  }
  const keytar = new KeytarStore(options.keychainPrefix === undefined ? {} : { servicePrefix: options.keychainPrefix });
  return withTimeout(keytar, options.timeoutMs ?? 5000);
}
