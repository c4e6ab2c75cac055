import { CryptError } from './errors.js';

/** rclone's body format (backend/crypt/cipher.go): magic, nonce, then 64 KiB blocks each sealed by secretbox. */
export const FILE_MAGIC = new TextEncoder().encode('RCLONE\x00\x00');
export const NONCE_SIZE = 24;
export const HEADER_SIZE = FILE_MAGIC.length + NONCE_SIZE;
/** secretbox's Poly1305 tag, written before each block's ciphertext. */
export const BLOCK_TAG_SIZE = 16;
export const BLOCK_DATA_SIZE = 64 * 1024;
export const BLOCK_SIZE = BLOCK_TAG_SIZE + BLOCK_DATA_SIZE;

/** Size of the encrypted file for a plain file of `size` bytes (what a listing of the bucket shows). */
export function encryptedSize(size: number): number {
  const blocks = Math.floor(size / BLOCK_DATA_SIZE);
  const residue = size % BLOCK_DATA_SIZE;
  return HEADER_SIZE + blocks * BLOCK_SIZE + (residue === 0 ? 0 : BLOCK_TAG_SIZE + residue);
}

/** Size of the plain file inside an encrypted file of `size` bytes; throws when no encrypted file has that size. */
export function decryptedSize(size: number): number {
  const body = size - HEADER_SIZE;
  if (body < 0) {
    throw new CryptError(
      'not-encrypted',
      `${size} bytes is too short for an rclone crypt file (at least ${HEADER_SIZE})`,
    );
  }
  const blocks = Math.floor(body / BLOCK_SIZE);
  const residue = body % BLOCK_SIZE;
  if (residue !== 0 && residue <= BLOCK_TAG_SIZE) {
    throw new CryptError(
      'truncated',
      `${size} bytes is not the size of a whole rclone crypt file: it ends inside a block`,
    );
  }
  return blocks * BLOCK_DATA_SIZE + (residue === 0 ? 0 : residue - BLOCK_TAG_SIZE);
}
