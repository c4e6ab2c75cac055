import { ConfigError } from '@lifeboat/plugin-api';
import type { SecretBackend } from './secret-store.js';

/** The two places secrets can live, for help texts and `lifeboat doctor`-style listings. */
export const SECRET_BACKENDS: Readonly<Record<SecretBackend, { title: string; description: string }>> = {
  keychain: {
    title: 'OS keychain (default)',
    description:
      'macOS Keychain, Windows Credential Manager, or a Secret Service on Linux (gnome-keyring, KeePassXC). ' +
      'Needs an unlocked keyring: on a headless machine start one, or choose the vault.',
  },
  vault: {
    title: 'encrypted vault file',
    description:
      'One file under the state folder, encrypted with a key derived from your passphrase (scrypt, AES-256-GCM). ' +
      'The passphrase comes from LIFEBOAT_VAULT_PASSPHRASE or a prompt; a lost passphrase cannot be recovered.',
  },
};

const isBackend = (v: string): v is SecretBackend => Object.hasOwn(SECRET_BACKENDS, v);

/**
 * The user's explicit choice: LIFEBOAT_SECRETS, else the config's setting, else the keychain. There is no
 * automatic fallback to the vault when the keychain fails: the keychain's error says how to choose the vault.
 */
export function chooseBackend(env: Readonly<Record<string, string | undefined>>, configured?: string): SecretBackend {
  const fromEnv = env.LIFEBOAT_SECRETS?.trim();
  for (const [value, where] of [
    [fromEnv, 'LIFEBOAT_SECRETS'],
    [configured, 'the config file'],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (isBackend(value)) return value;
    throw new ConfigError(`Unknown secrets backend "${value}" in ${where}`, {
      hint: `choose one of: ${Object.keys(SECRET_BACKENDS).join(', ')}`,
    });
  }
  return 'keychain';
}
