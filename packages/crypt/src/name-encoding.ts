/**
 * How rclone writes encrypted name bytes as text (`filename_encoding`): base32 with the "extended hex" alphabet,
 * lower case and without `=` padding (the default, safe on case-insensitive file systems), or URL-safe base64
 * without padding. Decoding base32 accepts either case, as rclone does.
 */
export type FilenameEncoding = 'base32' | 'base64';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

function decodeBase32(text: string): Uint8Array | undefined {
  // A final group of 1, 3 or 6 characters cannot come from whole bytes (Go's decoder rejects it too).
  if ([1, 3, 6].includes(text.length % 8)) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text.toLowerCase()) {
    const digit = BASE32HEX.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[index++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

function decodeBase64(text: string): Uint8Array | undefined {
  // Buffer's decoder skips characters outside the alphabet; rclone's refuses them, and so must we.
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

export function encodeName(bytes: Uint8Array, encoding: FilenameEncoding): string {
  return encoding === 'base32' ? encodeBase32(bytes) : Buffer.from(bytes).toString('base64url');
}

/** The bytes, or undefined when `text` is not valid in that encoding. */
export function decodeName(text: string, encoding: FilenameEncoding): Uint8Array | undefined {
  return encoding === 'base32' ? decodeBase32(text) : decodeBase64(text);
}
