import { randomBytes } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { CryptError } from './errors.js';
import { rechunk } from './rechunk.js';
import { BLOCK_DATA_SIZE, BLOCK_SIZE, BLOCK_TAG_SIZE, FILE_MAGIC, HEADER_SIZE, NONCE_SIZE } from './sizes.js';

/** Adds one to the nonce, little-endian, carrying upwards (rclone's nonce.increment). */
function increment(nonce: Uint8Array): void {
  for (let i = 0; i < nonce.length; i++) {
    nonce[i] = (nonce[i]! + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
}

/**
 * Encrypts a plain byte stream into rclone's format: the header (magic and a random 24-byte nonce), then each
 * 64 KiB of plain bytes sealed with XSalsa20-Poly1305 under the nonce, incremented after every block. `nonce` is
 * for test vectors only: a fixed nonce reused for two files breaks the encryption.
 */
export async function* encryptBody(
  source: AsyncIterable<Uint8Array>,
  dataKey: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_SIZE),
): AsyncGenerator<Uint8Array> {
  if (nonce.length !== NONCE_SIZE) throw new RangeError(`the nonce is ${NONCE_SIZE} bytes, not ${nonce.length}`);
  const counter = Uint8Array.from(nonce);
  const header = new Uint8Array(HEADER_SIZE);
  header.set(FILE_MAGIC);
  header.set(counter, FILE_MAGIC.length);
  yield header;
  for await (const block of rechunk(source, BLOCK_DATA_SIZE, BLOCK_DATA_SIZE)) {
    yield xsalsa20poly1305(dataKey, counter).encrypt(block);
    increment(counter);
  }
}

/**
 * Decrypts rclone's format back to the plain bytes, checking every block's tag: a damaged byte, a wrong password
 * or a file cut inside a block throws a CryptError before any byte of that block is given out.
 */
export async function* decryptBody(source: AsyncIterable<Uint8Array>, dataKey: Uint8Array): AsyncGenerator<Uint8Array> {
  let counter: Uint8Array | undefined;
  let index = 0;
  for await (const piece of rechunk(source, HEADER_SIZE, BLOCK_SIZE)) {
    if (!counter) {
      if (piece.length < HEADER_SIZE) {
        throw new CryptError('not-encrypted', `${piece.length} bytes is too short for an rclone crypt file`);
      }
      if (!FILE_MAGIC.every((byte, i) => piece[i] === byte)) {
        throw new CryptError(
          'not-encrypted',
          'not an rclone crypt file (it does not start with the RCLONE header): the file was not encrypted, or is damaged',
        );
      }
      counter = piece.slice(FILE_MAGIC.length);
      continue;
    }
    if (piece.length <= BLOCK_TAG_SIZE) {
      throw new CryptError('truncated', `the encrypted file ends inside block ${index + 1}: it is truncated`);
    }
    let plain: Uint8Array;
    try {
      plain = xsalsa20poly1305(dataKey, counter).decrypt(piece);
    } catch {
      throw new CryptError(
        'bad-block',
        `block ${index + 1} (plain bytes from ${index * BLOCK_DATA_SIZE}) fails authentication: the encrypted file ` +
          'is damaged, or the password is wrong',
      );
    }
    yield plain;
    increment(counter);
    index++;
  }
  if (!counter) {
    throw new CryptError('not-encrypted', 'the encrypted file is empty: it has no rclone crypt header');
  }
}
