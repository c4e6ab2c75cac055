import { scryptAsync } from '@noble/hashes/scrypt.js';

/**
 * rclone's built-in salt, used when no `password2` is set (backend/crypt/cipher.go, defaultSalt): a fixed salt
 * only makes precomputed attacks a little harder, which is why rclone offers password2 as a real salt.
 */
const DEFAULT_SALT = new Uint8Array(Buffer.from('a80df43a8fbd0308a7cab83e581f86b1', 'hex'));

/** The three keys rclone derives from the password: 32 bytes for bodies, 32 for names, 16 of name tweak. */
export interface CryptKeys {
  readonly dataKey: Uint8Array;
  readonly nameKey: Uint8Array;
  readonly nameTweak: Uint8Array;
}

const DATA_KEY = 32;
const NAME_KEY = 32;
const NAME_TWEAK = 16;

/**
 * Derives the keys as rclone does: scrypt(password, password2 or the default salt, N=16384, r=8, p=1) into 80
 * bytes, split data key | name key | name tweak. An empty password gives all-zero keys, as in rclone (its test
 * vectors use that); callers that take a user's password must refuse an empty one first.
 */
export async function deriveKeys(password: string, password2 = ''): Promise<CryptKeys> {
  const size = DATA_KEY + NAME_KEY + NAME_TWEAK;
  const salt = password2 === '' ? DEFAULT_SALT : new TextEncoder().encode(password2);
  const key =
    password === ''
      ? new Uint8Array(size)
      : await scryptAsync(new TextEncoder().encode(password), salt, { N: 16384, r: 8, p: 1, dkLen: size });
  return {
    dataKey: key.slice(0, DATA_KEY),
    nameKey: key.slice(DATA_KEY, DATA_KEY + NAME_KEY),
    nameTweak: key.slice(DATA_KEY + NAME_KEY),
  };
}
