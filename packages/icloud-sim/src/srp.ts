/**
 * Server side of Apple's SRP-6a variant (GSA): RFC 5054 2048-bit group, SHA-256, username left out of x, and a
 * PBKDF2-derived password. No library has the server half, so the formulas of docs/icloud-protocol.md §SRP live here.
 */
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

export const N =
  0xac6bdb41324a9a9bf166de5e1389582faf72b6651987ee07fc3192943db56050a37329cbb4a099ed8193e0757767a13dd52312ab4b03310dcd7f48a9da04fd50e8083969edb767b0cf6095179a163ab3661a05fbd5faaae82918a9962f0b93b855f97993ec975eeaa80d740adbf4ff747359d041d5c33ea71d281e446b14773bca97b43a23fb801676bd207a436c6481f1d2b9078717461a5b9d32e688f87748544523b524b0d57d5ea77a2775d2ecfa032cfbdbf52fb3786160279004e57ae6af874e7303ce53299ccc041c7bc308d82a5698f3a8d0c38271ae35f8e9dbfbb694b5c803d89f7ae435de236d525f54759b65e372fcd68ef20fa7111f9e4aff73n;
export const g = 2n;
const N_BYTES = 256;

export type SrpProtocol = 's2k' | 's2k_fo';

export function bigFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Minimal big-endian bytes, as pysrp's long_to_bytes and js-srp's bytesFromBigint produce. */
export function bytesFromBig(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

export function pad(value: bigint, length = N_BYTES): Buffer {
  const bytes = bytesFromBig(value);
  return bytes.length >= length ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

export const k = bigFromBytes(sha256(bytesFromBig(N), pad(g)));

/** P = PBKDF2-HMAC-SHA256(SHA256(password) as raw bytes (s2k) or its lower-case hex text (s2k_fo), salt, iterations, 32). */
export function derivePasswordKey(
  password: string,
  salt: Uint8Array,
  iterations: number,
  protocol: SrpProtocol,
): Buffer {
  const digest = sha256(Buffer.from(password, 'utf8'));
  const input = protocol === 's2k_fo' ? Buffer.from(digest.toString('hex'), 'utf8') : digest;
  return pbkdf2Sync(input, salt, iterations, 32, 'sha256');
}

/** v = g^x with x = H(salt ‖ H(":" ‖ P)): Apple's verifier (js-srp's own verifier() wrongly includes the username). */
export function computeVerifier(passwordKey: Uint8Array, salt: Uint8Array): bigint {
  const x = bigFromBytes(sha256(salt, sha256(Buffer.from(':'), passwordKey)));
  return modPow(g, x, N);
}

export interface ServerHandshake {
  b: bigint;
  B: bigint;
}

/** B = (k·v + g^b) mod N; redrawn until B has no leading zero byte, so padded and minimal encodings agree. */
export function startHandshake(verifier: bigint): ServerHandshake {
  for (;;) {
    const b = bigFromBytes(randomBytes(32));
    const B = (k * verifier + modPow(g, b, N)) % N;
    if (B !== 0n && bytesFromBig(B).length === N_BYTES) return { b, B };
  }
}

export interface ProofCheck {
  accountName: string;
  salt: Uint8Array;
  verifier: bigint;
  handshake: ServerHandshake;
  A: bigint;
  m1: Uint8Array;
}

/** Recomputes M1 = H(H(N) xor H(PAD(g)) ‖ H(I) ‖ salt ‖ A ‖ B ‖ K); returns M2 = H(A ‖ M1 ‖ K) when it matches. */
export function checkClientProof(check: ProofCheck): { ok: boolean; m2?: Buffer } {
  const { A, handshake, verifier, salt } = check;
  if (A % N === 0n) return { ok: false };
  const u = bigFromBytes(sha256(pad(A), pad(handshake.B)));
  if (u === 0n) return { ok: false };
  const S = modPow((A * modPow(verifier, u, N)) % N, handshake.b, N);
  const K = sha256(bytesFromBig(S));
  const hN = sha256(bytesFromBig(N));
  const hg = sha256(pad(g));
  const xor = Buffer.alloc(hN.length);
  for (let i = 0; i < xor.length; i++) xor[i] = hN[i]! ^ hg[i]!;
  const M1 = sha256(
    xor,
    sha256(Buffer.from(check.accountName, 'utf8')),
    salt,
    bytesFromBig(A),
    bytesFromBig(handshake.B),
    K,
  );
  if (!M1.equals(Buffer.from(check.m1))) return { ok: false };
  return { ok: true, m2: sha256(bytesFromBig(A), M1, K) };
}
