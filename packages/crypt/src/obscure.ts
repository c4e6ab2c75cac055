import { randomBytes } from 'node:crypto';
import { ctr } from '@noble/ciphers/aes.js';

/**
 * rclone's password obscuring (`rclone obscure` / `rclone reveal`, fs/config/obscure): AES-256-CTR under a key
 * built into rclone, a random 16-byte IV in front, URL-safe base64 without padding. It only keeps passwords from
 * being read over a shoulder; anyone with rclone can reveal them. rclone.conf requires crypt passwords in this form.
 */
const OBSCURE_KEY = new Uint8Array(
  Buffer.from('9c935b48730a554d6bfd7c63c886a92bd390198eb8128afbf4de162b8b95f638', 'hex'),
);
const IV_SIZE = 16;

/** `iv` is for test vectors only. */
export function obscure(plain: string, iv: Uint8Array = randomBytes(IV_SIZE)): string {
  const ciphertext = ctr(OBSCURE_KEY, iv).encrypt(new TextEncoder().encode(plain));
  const out = new Uint8Array(IV_SIZE + ciphertext.length);
  out.set(iv);
  out.set(ciphertext, IV_SIZE);
  return Buffer.from(out).toString('base64url');
}

export function reveal(obscured: string): string {
  const bytes = /^[A-Za-z0-9_-]*$/.test(obscured) ? Buffer.from(obscured, 'base64url') : undefined;
  if (!bytes || bytes.length < IV_SIZE) {
    throw new Error('not an obscured password (as `rclone obscure` prints): copy it again from rclone.conf');
  }
  const plain = ctr(OBSCURE_KEY, bytes.subarray(0, IV_SIZE)).decrypt(bytes.subarray(IV_SIZE));
  return new TextDecoder().decode(plain);
}
