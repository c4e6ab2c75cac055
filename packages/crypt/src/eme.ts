import { ecb } from '@noble/ciphers/aes.js';

/**
 * EME (ECB-Mix-ECB), the wide-block mode of Halevi and Rogaway that rclone uses for names (via
 * github.com/rfjakob/eme): deterministic, so a name always encrypts the same, and every output byte depends on every
 * input byte, so names with a common prefix share no prefix when encrypted. Built on AES block operations from
 * @noble/ciphers (ECB over whole arrays, without padding); only the mixing is written here.
 */
const BLOCK = 16;

/** Doubling in GF(2^128) with EME's little-endian byte order (eme.go, multByTwo). */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  out[0] = (block[0]! << 1) & 0xff;
  if (block[15]! >= 128) out[0] ^= 135;
  for (let j = 1; j < BLOCK; j++) out[j] = ((block[j]! << 1) & 0xff) | (block[j - 1]! >= 128 ? 1 : 0);
  return out;
}

function xorInto(target: Uint8Array, source: Uint8Array): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= source[i]!;
}

/** Encrypts or decrypts `data` (1 to 128 whole AES blocks) under `key` and the 16-byte `tweak`. */
export function emeTransform(
  key: Uint8Array,
  tweak: Uint8Array,
  data: Uint8Array,
  direction: 'encrypt' | 'decrypt',
): Uint8Array {
  const m = data.length / BLOCK;
  if (!Number.isInteger(m) || m < 1 || m > BLOCK * 8) {
    throw new RangeError(`EME works on 1 to ${BLOCK * 8} blocks of ${BLOCK} bytes, not ${data.length} bytes`);
  }
  if (tweak.length !== BLOCK) throw new RangeError(`the EME tweak is ${BLOCK} bytes, not ${tweak.length}`);
  const transform = (input: Uint8Array): Uint8Array => {
    const aes = ecb(key, { disablePadding: true });
    return direction === 'encrypt' ? aes.encrypt(input) : aes.decrypt(input);
  };
  const block = (buf: Uint8Array, j: number) => buf.subarray(j * BLOCK, (j + 1) * BLOCK);

  // L = 2 * AES-enc(K, 0), always the forward cipher.
  const l0 = double(ecb(key, { disablePadding: true }).encrypt(new Uint8Array(BLOCK)));

  // PP_j = P_j xor 2^(j-1) L, then PPP_j = AES(PP_j).
  const pp = data.slice();
  let l = l0;
  for (let j = 0; j < m; j++) {
    xorInto(block(pp, j), l);
    l = double(l);
  }
  const c = transform(pp);

  // MP = (xor of all PPP_j) xor T; MC = AES(MP); M = MP xor MC.
  const mp = tweak.slice();
  for (let j = 0; j < m; j++) xorInto(mp, block(c, j));
  const mc = transform(mp);
  let mask: Uint8Array = mp.slice();
  xorInto(mask, mc);

  // CCC_j = PPP_j xor 2^(j-1) M for j >= 2; CCC_1 = (xor of CCC_j, j >= 2) xor T xor MC.
  for (let j = 1; j < m; j++) {
    mask = double(mask);
    xorInto(block(c, j), mask);
  }
  const ccc1 = mc.slice();
  xorInto(ccc1, tweak);
  for (let j = 1; j < m; j++) xorInto(ccc1, block(c, j));
  c.set(ccc1, 0);

  // C_j = AES(CCC_j) xor 2^(j-1) L.
  const out = transform(c);
  l = l0;
  for (let j = 0; j < m; j++) {
    xorInto(block(out, j), l);
    l = double(l);
  }
  return out;
}
