// rclone's crypt format: what Lifeboat writes to an encrypted destination is readable by `rclone` with a crypt
// remote, and what rclone wrote is readable here. Only the format is written here; the ciphers are @noble's.
export { nonceForBlock, readHeader } from './body.js';
export { type CryptSettings, RcloneCrypt } from './cipher.js';
export { CryptError, type CryptErrorCode } from './errors.js';
export { type CryptKeys, deriveKeys } from './keys.js';
export type { FilenameEncoding } from './name-encoding.js';
export { DEFAULT_NAME_OPTIONS, NameCipher, type NameOptions } from './names.js';
export { obscure, reveal } from './obscure.js';
export { cryptRemoteOptions, type RcloneConfigSection, renderRcloneConfig } from './rclone-config.js';
export { BLOCK_DATA_SIZE, BLOCK_SIZE, decryptedSize, encryptedSize, HEADER_SIZE } from './sizes.js';
