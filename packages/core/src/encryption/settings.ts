import { RcloneCrypt } from '@lifeboat/crypt';
import {
  ConfigError,
  type ContributionManifest,
  type Destination,
  type ScopedSecrets,
  type Settings,
} from '@lifeboat/plugin-api';
import { EncryptingDestination } from './encrypting-destination.js';

/**
 * Encryption is a setting of every destination type, added by the host rather than declared by each plugin: the
 * plugin never sees it and stores only encrypted bytes (EncryptingDestination).
 */
export const ENCRYPTION_PASSWORD = 'encryptionPassword';
export const ENCRYPTION_PASSWORD2 = 'encryptionPassword2';

const PROPERTIES = {
  encryption: {
    type: 'string',
    enum: ['none', 'rclone-crypt'],
    // "Advanced" ranks them last in the terminal UI's forms, which ask for the password once it is chosen.
    description:
      "Advanced: encrypt copies before they leave this computer, in rclone's crypt format (rclone reads them without " +
      `Lifeboat). Needs the secret ${ENCRYPTION_PASSWORD} (and optionally ${ENCRYPTION_PASSWORD2}, rclone's salt): ` +
      'keep a copy of it elsewhere, a lost password is a lost backup. Default none.',
  },
  filenameEncryption: {
    type: 'string',
    enum: ['standard', 'off'],
    description:
      "Advanced: rclone's filename_encryption: standard hides file names, off keeps them (adds .bin). Default standard.",
  },
  directoryNameEncryption: {
    type: 'boolean',
    description: "Advanced: rclone's directory_name_encryption: also hide folder names (dates). Default true.",
  },
} as const;

const KEYS = Object.keys(PROPERTIES);

/** What an encrypted destination's settings say about its encryption. */
export interface EncryptionSettings {
  readonly scheme: 'rclone-crypt';
  readonly filenameEncryption: 'standard' | 'off';
  readonly directoryNameEncryption: boolean;
}

/** A destination type's manifest entry with the encryption settings added to its schema. */
export function withEncryptionSettings(contribution: ContributionManifest): ContributionManifest {
  const schema = contribution.settings;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  if (KEYS.some((key) => key in properties)) return contribution; // the plugin's own meaning wins
  return { ...contribution, settings: { ...schema, properties: { ...properties, ...PROPERTIES } } };
}

/** The settings for the plugin (encryption taken out) and the encryption, if any. */
export function splitEncryption(settings: Settings): { plugin: Settings; encryption?: EncryptionSettings } {
  const plugin = Object.fromEntries(Object.entries(settings).filter(([key]) => !KEYS.includes(key)));
  if (settings.encryption !== 'rclone-crypt') return { plugin };
  return {
    plugin,
    encryption: {
      scheme: 'rclone-crypt',
      filenameEncryption: settings.filenameEncryption === 'off' ? 'off' : 'standard',
      directoryNameEncryption: settings.directoryNameEncryption !== false,
    },
  };
}

/** The secrets encryption adds to a destination with these settings: the password, and the optional salt. */
export function encryptionSecrets(settings: Settings): { required: string[]; optional: string[] } {
  return settings.encryption === 'rclone-crypt'
    ? { required: [ENCRYPTION_PASSWORD], optional: [ENCRYPTION_PASSWORD2] }
    : { required: [], optional: [] };
}

/** The keys of one encrypted destination, from its secrets; a missing password is a config error saying what to do. */
export async function cryptFor(
  name: string,
  encryption: EncryptionSettings,
  secrets: ScopedSecrets,
): Promise<RcloneCrypt> {
  const password = await secrets.get(ENCRYPTION_PASSWORD);
  if (!password) {
    throw new ConfigError(`Destination "${name}" is encrypted but its ${ENCRYPTION_PASSWORD} is not in the keychain`, {
      hint: `Remove and add the destination again with --secret ${ENCRYPTION_PASSWORD}, using the same password`,
    });
  }
  return RcloneCrypt.create({
    password,
    password2: (await secrets.get(ENCRYPTION_PASSWORD2)) ?? '',
    filenameEncryption: encryption.filenameEncryption,
    directoryNameEncryption: encryption.directoryNameEncryption,
  });
}

/** Puts a plugin's destination behind the encryption its settings ask for (or returns it as it is). */
export async function withEncryption(
  name: string,
  destination: Destination,
  encryption: EncryptionSettings | undefined,
  secrets: ScopedSecrets,
): Promise<Destination> {
  if (!encryption) return destination;
  return new EncryptingDestination(destination, await cryptFor(name, encryption, secrets));
}
