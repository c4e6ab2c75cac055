// What the CLI needs of the format to print a crypt remote for an encrypted destination.
export { cryptRemoteOptions, type RcloneConfigSection, renderRcloneConfig } from '@lifeboat/crypt';
export { EncryptingDestination } from './encrypting-destination.js';
export {
  cryptFor,
  ENCRYPTION_PASSWORD,
  ENCRYPTION_PASSWORD2,
  type EncryptionSettings,
  encryptionSecrets,
  splitEncryption,
  withEncryption,
  withEncryptionSettings,
} from './settings.js';
