import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigintToBytes, derivePasswordKey, SrpSession } from './srp.js';

const SALT = new Uint8Array(Array.from({ length: 16 }, (_, i) => i));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SRP password key', () => {
  // Vectors computed independently (Python hashlib.pbkdf2_hmac over hashlib.sha256).
  it('derives s2k from the raw SHA-256 of the password', async () => {
    expect(hex(await derivePasswordKey('correct horse battery staple', 's2k', SALT, 1000))).toBe(
      '6b7cc6edb94620dcf9811c616742ca428fe81b5bede8478a876a895345ded185',
    );
    expect(hex(await derivePasswordKey('Pässwörd✓', 's2k', SALT, 20064))).toBe(
      '209bf0eb6c412e319a14d6640ff765314abf79c0a23972b1b71192141739de3c',
    );
  });

  it('derives s2k_fo from the lower-case hex text of the SHA-256', async () => {
    expect(hex(await derivePasswordKey('correct horse battery staple', 's2k_fo', SALT, 1000))).toBe(
      '5df3f8614930d6e2cf855fc8ddec13b51431c6c08e3375a1ef346686965d049e',
    );
    expect(hex(await derivePasswordKey('Pässwörd✓', 's2k_fo', SALT, 20064))).toBe(
      '9b5539e1a38964d295e4425d4d8443336a7c162c6fd4361ea5604b78de033001',
    );
  });

  it('matches node:crypto for random inputs', async () => {
    for (let i = 0; i < 5; i++) {
      const password = randomBytes(12).toString('base64');
      const salt = randomBytes(16);
      const digest = createHash('sha256').update(password).digest();
      expect(hex(await derivePasswordKey(password, 's2k', salt, 500))).toBe(
        pbkdf2Sync(digest, salt, 500, 32, 'sha256').toString('hex'),
      );
      expect(hex(await derivePasswordKey(password, 's2k_fo', salt, 500))).toBe(
        pbkdf2Sync(Buffer.from(digest.toString('hex')), salt, 500, 32, 'sha256').toString('hex'),
      );
    }
  });
});

// RFC 5054 2048-bit group, g = 2.
const N = BigInt(
  '0xAC6BDB41324A9A9BF166DE5E1389582FAF72B6651987EE07FC3192943DB56050A37329CBB4A099ED8193E0757767A13DD52312AB4B03310DCD7F48A9DA04FD50E8083969EDB767B0CF6095179A163AB3661A05FBD5FAAAE82918A9962F0B93B855F97993EC975EEAA80D740ADBF4FF747359D041D5C33EA71D281E446B14773BCA97B43A23FB801676BD207A436C6481F1D2B9078717461A5B9D32E688F87748544523B524B0D57D5EA77A2775D2ECFA032CFBDBF52FB3786160279004E57AE6AF874E7303CE53299CCC041C7BC308D82A5698F3A8D0C38271AE35F8E9DBFBB694B5C803D89F7AE435DE236D525F54759B65E372FCD68EF20FA7111F9E4AFF73',
);
const g = 2n;
const H = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const pad = (n: bigint) => Buffer.from(n.toString(16).padStart(512, '0'), 'hex');
const int = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const modPow = (b: bigint, e: bigint, m: bigint) => {
  let r = 1n;
  let x = b % m;
  let y = e;
  while (y > 0n) {
    if (y & 1n) r = (r * x) % m;
    x = (x * x) % m;
    y >>= 1n;
  }
  return r;
};

describe('SRP exchange', () => {
  it('produces an M1 that a server written from the protocol doc accepts, and the matching M2', async () => {
    const user = 'jane@lifeboat.test';
    const password = 'correct horse battery staple';
    const salt = randomBytes(16);
    salt[0] = 1;
    const iterations = 1000;
    const P = await derivePasswordKey(password, 's2k', salt, iterations);
    const x = int(H(salt, H(Buffer.from(':'), P)));
    const v = modPow(g, x, N);
    const k = int(H(pad(N), pad(g)));
    const b = int(randomBytes(32));
    const B = (k * v + modPow(g, b, N)) % N;

    const session = new SrpSession(user);
    const A = int(Buffer.from(await session.start(), 'base64'));
    const proof = await session.prove(password, { protocol: 's2k', salt, iterations, B: bigintToBytes(B) });

    const u = int(H(pad(A), pad(B)));
    const S = modPow((A * modPow(v, u, N)) % N, b, N);
    const K = H(bigintToBytes(S));
    const hN = H(bigintToBytes(N));
    const hg = H(pad(g));
    const xor = Buffer.from(hN.map((byte, i) => byte ^ hg[i]!));
    const M1 = H(xor, H(Buffer.from(user)), salt, bigintToBytes(A), bigintToBytes(B), K);
    expect(proof.m1).toBe(M1.toString('base64'));
    expect(proof.m2).toBe(H(bigintToBytes(A), M1, K).toString('base64'));
  });

  it('gives a different M1 for a wrong password', async () => {
    const salt = randomBytes(16);
    const B = modPow(g, int(randomBytes(32)), N);
    const a = new SrpSession('x@y.z');
    await a.start();
    const b = new SrpSession('x@y.z');
    await b.start();
    const one = await a.prove('right', { protocol: 's2k', salt, iterations: 10, B: bigintToBytes(B) });
    const two = await b.prove('wrong', { protocol: 's2k', salt, iterations: 10, B: bigintToBytes(B) });
    expect(one.m1).not.toBe(two.m1);
  });
});
