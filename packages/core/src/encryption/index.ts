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
