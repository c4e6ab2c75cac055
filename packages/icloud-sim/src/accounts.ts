/** Test accounts: what the simulator stores per Apple ID (salt, iterations, verifier), never the password itself. */
import { createHash } from 'node:crypto';
import { computeVerifier, derivePasswordKey, type SrpProtocol } from './srp.js';

export interface TrustedPhone {
  id: number;
  /** Last two digits shown to the user, e.g. "81". */
  lastTwoDigits: string;
}

export interface AccountSpec {
  appleId: string;
  password: string;
  /** 's2k' (default) or 's2k_fo': how the SHA-256 of the password enters PBKDF2. */
  protocol?: SrpProtocol;
  /** false: a non-2FA account (signin/complete answers 412, then repair/complete). Default true. */
  twoFactor?: boolean;
  /** The 6-digit code the trusted devices "show" and the SMS "sends". Default '123456'. */
  code?: string;
  /** PBKDF2 iterations handed out by signin/init (Apple: ~20,000). */
  iterations?: number;
  fullName?: string;
  phones?: TrustedPhone[];
  /** Names of FIDO security keys: the second factor is a key, and the auth options page asks for one. */
  securityKeys?: string[];
  /** Advanced Data Protection on (dsInfo `iCDPEnabled`). Default false. */
  advancedDataProtection?: boolean;
  /** "Access iCloud Data on the Web" (dsInfo `isWebAccessAllowed`). Default true. */
  webAccess?: boolean;
}

export interface SimAccount {
  appleId: string;
  password: string;
  protocol: SrpProtocol;
  twoFactor: boolean;
  code: string;
  iterations: number;
  fullName: string;
  phones: TrustedPhone[];
  securityKeys: string[];
  /** Mutable, like the switches on the user's iPhone: takes effect on the next answer. */
  advancedDataProtection: boolean;
  webAccess: boolean;
  salt: Buffer;
  verifier: bigint;
  dsid: string;
}

export const DEFAULT_ACCOUNTS: readonly AccountSpec[] = [
  { appleId: 'jane@lifeboat.test', password: 'correct horse battery staple', protocol: 's2k', code: '123456' },
  { appleId: 'fo@lifeboat.test', password: 'Fo-Protocol-Passw0rd', protocol: 's2k_fo', code: '654321' },
  { appleId: 'legacy@lifeboat.test', password: 'no-2fa-here', protocol: 's2k', twoFactor: false },
];

/** Deterministic salt and dsid from the seed, so restarts keep verifiers (and stored client state) stable. */
export function prepareAccount(spec: AccountSpec, seed: number): SimAccount {
  const digest = createHash('sha256').update(`${seed}:${spec.appleId.toLowerCase()}`).digest();
  const salt = digest.subarray(0, 16);
  // pysrp hashes the salt as an integer (leading zeros dropped), js-srp as raw bytes: keep them equal.
  if (salt[0] === 0) salt[0] = 1;
  const iterations = spec.iterations ?? 20_064;
  const protocol = spec.protocol ?? 's2k';
  const key = derivePasswordKey(spec.password, salt, iterations, protocol);
  return {
    appleId: spec.appleId,
    password: spec.password,
    protocol,
    twoFactor: spec.twoFactor ?? true,
    code: spec.code ?? '123456',
    iterations,
    fullName: spec.fullName ?? 'Jane Appleseed',
    phones: spec.phones ?? [
      { id: 1, lastTwoDigits: '81' },
      { id: 2, lastTwoDigits: '42' },
    ],
    securityKeys: spec.securityKeys ?? [],
    advancedDataProtection: spec.advancedDataProtection ?? false,
    webAccess: spec.webAccess ?? true,
    salt: Buffer.from(salt),
    verifier: computeVerifier(key, salt),
    dsid: String(10_000_000_000 + (digest.readUInt32BE(16) % 89_999_999_999)),
  };
}
