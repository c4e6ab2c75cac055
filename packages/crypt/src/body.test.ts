import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { nonceForBlock, readHeader } from './body.js';
import { RcloneCrypt } from './cipher.js';
import { CryptError } from './errors.js';
import { decryptedSize, encryptedSize } from './sizes.js';

// Vectors from rclone's backend/crypt/cipher_test.go (TestEncryptData): all-zero keys, nonce 01 02 ... 18.
const zeroCrypt = RcloneCrypt.fromKeys({
  dataKey: new Uint8Array(32),
  nameKey: new Uint8Array(32),
  nameTweak: new Uint8Array(16),
});
const nonce = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
const header = `52434c4f4e450000${Buffer.from(nonce).toString('hex')}`;

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** The bytes as a stream of uneven pieces, as files and sockets deliver them. */
async function* pieces(bytes: Uint8Array, size = 7919): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('body format', () => {
  it('encrypts as rclone does', async () => {
    expect((await collect(zeroCrypt.encrypt(pieces(new Uint8Array(0)), nonce))).toString('hex')).toBe(header);
    expect((await collect(zeroCrypt.encrypt(pieces(Uint8Array.of(1)), nonce))).toString('hex')).toBe(
      `${header}095b446cd6237bbcb08d09fb524ce565aa`,
    );
    const sixteen = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    expect((await collect(zeroCrypt.encrypt(pieces(sixteen), nonce))).toString('hex')).toBe(
      `${header}b9c4552a2710062918960a3e608c29b9aa8a5e1e165b6d075de4e9bb367fd6d4`,
    );
  });

  it('round-trips every size around the 64 KiB block, in any piece size', async () => {
    const crypt = await RcloneCrypt.create({ password: 'correct horse', password2: 'battery staple' });
    for (const size of [0, 1, 65535, 65536, 65537, 131072, 3 * 1024 * 1024 + 5]) {
      const plain = randomBytes(size);
      const encrypted = await collect(crypt.encrypt(pieces(plain, 1 + (size % 70000))));
      expect(encrypted.length).toBe(encryptedSize(size));
      expect(decryptedSize(encrypted.length)).toBe(size);
      expect((await collect(crypt.decrypt(pieces(encrypted, 4096)))).equals(plain)).toBe(true);
    }
  });

  it('uses a fresh nonce for every file', async () => {
    const a = await collect(zeroCrypt.encrypt(pieces(Uint8Array.of(1))));
    const b = await collect(zeroCrypt.encrypt(pieces(Uint8Array.of(1))));
    expect(a.subarray(8, 32).equals(b.subarray(8, 32))).toBe(false);
  });

  it('finds a flipped byte in any block, and a truncated or foreign file', async () => {
    const plain = randomBytes(200_000);
    const encrypted = await collect(zeroCrypt.encrypt(pieces(plain)));
    for (const at of [40, 32 + 65552 + 3, encrypted.length - 1]) {
      const damaged = Buffer.from(encrypted);
      damaged[at]! ^= 0x01;
      await expect(collect(zeroCrypt.decrypt(pieces(damaged)))).rejects.toMatchObject({ code: 'bad-block' });
    }
    const cutInsideTag = encrypted.subarray(0, 32 + 3 * 65552 + 10); // 10 bytes into the fourth block's tag
    await expect(collect(zeroCrypt.decrypt(pieces(cutInsideTag)))).rejects.toMatchObject({ code: 'truncated' });
    await expect(collect(zeroCrypt.decrypt(pieces(plain)))).rejects.toMatchObject({ code: 'not-encrypted' });
    await expect(collect(zeroCrypt.decrypt(pieces(encrypted.subarray(0, 20))))).rejects.toThrow(CryptError);
    const other = await RcloneCrypt.create({ password: 'another' });
    await expect(collect(other.decrypt(pieces(encrypted)))).rejects.toThrow(/password is wrong/);
  });

  it('works as Node transform streams in a pipeline', async () => {
    const plain = randomBytes(300_000);
    const out: Buffer[] = [];
    await pipeline(Readable.from(pieces(plain)), zeroCrypt.encryptStream(), zeroCrypt.decryptStream(), async (src) => {
      for await (const chunk of src) out.push(chunk);
    });
    expect(Buffer.concat(out).equals(plain)).toBe(true);
  });
});

describe('sizes', () => {
  it('match rclone (TestEncryptedSize)', () => {
    const cases: [number, number][] = [
      [0, 32],
      [1, 32 + 16 + 1],
      [65536, 32 + 16 + 65536],
      [65537, 32 + 16 + 65536 + 16 + 1],
      [1 << 20, 32 + 16 * (16 + 65536)],
      [(1 << 20) + 65535, 32 + 16 * (16 + 65536) + 16 + 65535],
      [2 ** 30, 32 + 16384 * (16 + 65536)],
      [2 ** 40 + 1, 32 + 16777216 * (16 + 65536) + 16 + 1],
    ];
    for (const [plain, encrypted] of cases) {
      expect(encryptedSize(plain)).toBe(encrypted);
      expect(decryptedSize(encrypted)).toBe(plain);
    }
  });

  it('refuse sizes no encrypted file has (TestDecryptedSize)', () => {
    for (const size of [0, 1, 7]) expect(() => decryptedSize(size)).toThrow(/too short/);
    for (const size of [32 + 1, 32 + 16, 32 + 16 + 65536 + 1, 32 + 16 + 65536 + 16]) {
      expect(() => decryptedSize(size)).toThrow(/ends inside a block/);
    }
  });
});

describe('ranged decryption', () => {
  it('adds to the nonce as rclone does (TestNonceAdd)', () => {
    const nonce = (...bytes: number[]) => Uint8Array.from({ length: 24 }, (_, i) => bytes[i] ?? 0);
    expect(nonceForBlock(nonce(0x00), 1)).toEqual(nonce(0x01));
    expect(nonceForBlock(nonce(0xff), 0xff)).toEqual(nonce(0xfe, 0x01));
    expect(nonceForBlock(nonce(0xff, 0xff, 0xff), 0xffffff)).toEqual(nonce(0xfe, 0xff, 0xff, 0x01));
    const all = nonce(...new Array(24).fill(0xff));
    expect(nonceForBlock(all, 1)).toEqual(nonce());
  });

  it('decrypts from any block given the header nonce', async () => {
    const plain = randomBytes(5 * 65536 + 100);
    const encrypted = await collect(zeroCrypt.encrypt(pieces(plain)));
    const headerNonce = readHeader(encrypted.subarray(0, 32));
    for (const block of [0, 1, 4, 5]) {
      const from = encrypted.subarray(32 + block * 65552);
      const out = await collect(zeroCrypt.decryptFromBlock(pieces(from), headerNonce, block));
      expect(out.equals(plain.subarray(block * 65536))).toBe(true);
    }
    await expect(collect(zeroCrypt.decryptFromBlock(pieces(encrypted.subarray(32)), headerNonce, 1))).rejects.toThrow(
      /block 2 .* fails authentication/,
    );
  });
});
