import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters, stored in the file so a later version can raise them and still open older vaults. */
export interface VaultKdf {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64, 16 random bytes made when the vault is created. */
  salt: string;
}

/** The file on disk: a readable header, then the whole secrets document sealed with AES-256-GCM. */
export interface VaultFile {
  format: 'lifeboat-vault';
  version: 1;
  kdf: VaultKdf;
  cipher: 'aes-256-gcm';
  /** HMAC of a constant under a second derived key: tells a wrong passphrase apart from a damaged file. */
  check: string;
  iv: string;
  tag: string;
  data: string;
}

/** Derived once per vault and passphrase: `enc` encrypts, `mac` only proves the passphrase. */
export interface VaultKeys {
  salt: string;
  enc: Buffer;
  mac: Buffer;
}

export const newKdf = (): VaultKdf => ({
  name: 'scrypt',
  N: 2 ** 15,
  r: 8,
  p: 1,
  salt: randomBytes(16).toString('base64'),
});

export function deriveKeys(passphrase: string, kdf: VaultKdf): Promise<VaultKeys> {
  const { N, r, p } = kdf;
  // scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is exactly that for N=2^15, r=8 and refuses it.
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 64, { N, r, p, maxmem }, (err, out) =>
      err ? reject(err) : resolve({ salt: kdf.salt, enc: out.subarray(0, 32), mac: out.subarray(32) }),
    );
  });
}

const CHECK = 'lifeboat vault passphrase check';
const checkOf = (keys: VaultKeys) => createHmac('sha256', keys.mac).update(CHECK).digest();

// The header is authenticated too, so changing the KDF parameters or salt is detected like any other edit.
const aadOf = (f: Pick<VaultFile, 'format' | 'version' | 'kdf' | 'cipher'>) =>
  Buffer.from(JSON.stringify([f.format, f.version, f.kdf.name, f.kdf.N, f.kdf.r, f.kdf.p, f.kdf.salt, f.cipher]));

/** Encrypts with a fresh 12-byte IV: never reuse an IV under one key with GCM. */
export function seal(keys: VaultKeys, kdf: VaultKdf, plaintext: Buffer): VaultFile {
  const header = { format: 'lifeboat-vault', version: 1, kdf, cipher: 'aes-256-gcm' } as const;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.enc, iv).setAAD(aadOf(header));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return { ...header, check: b64(checkOf(keys)), iv: b64(iv), data: b64(data), tag: b64(cipher.getAuthTag()) };
}

export type Unsealed = { ok: true; plaintext: Buffer } | { ok: false; reason: 'wrong-passphrase' | 'damaged' };

export function unseal(keys: VaultKeys, file: VaultFile): Unsealed {
  const check = Buffer.from(file.check, 'base64');
  const want = checkOf(keys);
  if (check.length !== want.length || !timingSafeEqual(check, want)) return { ok: false, reason: 'wrong-passphrase' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, Buffer.from(file.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(aadOf(file)).setAuthTag(Buffer.from(file.tag, 'base64'));
    return {
      ok: true,
      plaintext: Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]),
    };
  } catch {
    return { ok: false, reason: 'damaged' };
  }
}

const MAX_KDF_MEMORY = 256 * 2 ** 20;

/** Checks the shape and bounds the KDF cost, so a damaged or hostile file cannot make scrypt eat the machine. */
export function parseVaultFile(text: string): VaultFile | undefined {
  let f: Partial<VaultFile>;
  try {
    f = JSON.parse(text) as Partial<VaultFile>;
  } catch {
    return undefined;
  }
  const k = f.kdf;
  const str = (v: unknown) => typeof v === 'string';
  const ok =
    f.format === 'lifeboat-vault' &&
    f.version === 1 &&
    f.cipher === 'aes-256-gcm' &&
    k?.name === 'scrypt' &&
    Number.isInteger(k.N) &&
    k.N >= 2 ** 10 &&
    (k.N & (k.N - 1)) === 0 &&
    Number.isInteger(k.r) &&
    k.r >= 1 &&
    128 * k.N * k.r <= MAX_KDF_MEMORY &&
    Number.isInteger(k.p) &&
    k.p >= 1 &&
    k.p <= 16 &&
    [k.salt, f.check, f.iv, f.tag, f.data].every(str);
  return ok ? (f as VaultFile) : undefined;
}
