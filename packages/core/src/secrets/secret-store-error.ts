import { ErrorCode, LifeboatError } from '@lifeboat/plugin-api';

/**
 * The secret store (OS keychain or encrypted vault) could not do what was asked. The message says which store
 * and what failed, the hint what to do. Never built from a secret value.
 */
export class SecretStoreError extends LifeboatError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(ErrorCode.Keychain, message, options);
  }
}

export const README_SECRETS = `README "Secrets on headless machines"`;

/** What to do when the keychain fails: never a silent fallback, so the user is told how to choose the vault. */
export const KEYCHAIN_HINT =
  'start a keyring daemon (gnome-keyring, KeePassXC) and unlock it, or keep secrets in the encrypted vault ' +
  `instead (LIFEBOAT_SECRETS=vault): see ${README_SECRETS}`;

export const VAULT_HINT =
  'check the vault file and its passphrase (LIFEBOAT_VAULT_PASSPHRASE or the prompt), or use the OS keychain ' +
  `(LIFEBOAT_SECRETS=keychain): see ${README_SECRETS}`;
