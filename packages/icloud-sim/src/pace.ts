/**
 * Pace profiles: how slow and how strict the simulated Apple is. `instant` (the default) answers at once and limits
 * nothing, so tests stay fast; `apple` follows what users and other clients report of the real service (see
 * README.md, "Apple's pace": every default is an assumption drawn from public reports, not a measurement of ours).
 * Every number can be overridden at start and changed live (`sim.pace`, `POST /control/profile`).
 */

export type ProfileName = 'instant' | 'apple';

export interface PaceProfile {
  /** Wait before answering a CloudKit listing page (`records/query` on an asset index, `changes/zone`). */
  cloudkitLatencyMs: number;
  /** Wait before answering every other request (sign-in, setup, zones/list, counts, albums, modify). */
  apiLatencyMs: number;
  /** Time to first byte of a download. */
  downloadLatencyMs: number;
  /** Body rate of one download connection, bytes per second (0: unlimited). */
  downloadBytesPerSecond: number;
  /** Downloads in flight per client; one more gets 503 + Retry-After (0: unlimited). */
  maxConcurrentDownloads: number;
  /** CloudKit requests in flight per signed-in user; one more gets 503 + Retry-After (0: unlimited). */
  maxConcurrentCloudkit: number;
  /** The Retry-After sent with those 503s. */
  retryAfterSeconds: number;
  /**
   * The penalty rule: a request to a host sent before the Retry-After that host gave has passed is a violation
   * (counted in `counters.retryAfterViolations`) and gets 503 with `Retry-After: penaltySeconds`, a window that
   * starts again with every further violation.
   */
  penaltySeconds: number;
  /**
   * Requests arriving this soon after a 503 went out are not violations: the client sent them before it could
   * have read the 503 (concurrent workers).
   */
  retryAfterGraceMs: number;
  /** signin/init attempts allowed per client within `signinWindowSeconds`; more answer 503 (0: unlimited). */
  signinMaxAttempts: number;
  signinWindowSeconds: number;
  /** Lifetime of a download URL from the moment its record was served (the `e=` of the URL). */
  downloadUrlTtlMs: number;
}

const HOUR = 3_600_000;

export const PROFILES: Record<ProfileName, PaceProfile> = {
  instant: {
    cloudkitLatencyMs: 0,
    apiLatencyMs: 0,
    downloadLatencyMs: 0,
    downloadBytesPerSecond: 0,
    maxConcurrentDownloads: 0,
    maxConcurrentCloudkit: 0,
    retryAfterSeconds: 5,
    penaltySeconds: 60,
    retryAfterGraceMs: 100,
    signinMaxAttempts: 0,
    signinWindowSeconds: 300,
    downloadUrlTtlMs: HOUR,
  },
  apple: {
    cloudkitLatencyMs: 3000,
    apiLatencyMs: 300,
    downloadLatencyMs: 250,
    downloadBytesPerSecond: 5_000_000,
    maxConcurrentDownloads: 8,
    maxConcurrentCloudkit: 4,
    retryAfterSeconds: 5,
    penaltySeconds: 60,
    retryAfterGraceMs: 100,
    signinMaxAttempts: 5,
    signinWindowSeconds: 300,
    downloadUrlTtlMs: HOUR,
  },
};

export const PACE_KEYS = Object.keys(PROFILES.instant) as (keyof PaceProfile)[];

export function isProfileName(name: unknown): name is ProfileName {
  return typeof name === 'string' && Object.hasOwn(PROFILES, name);
}

/** Checks a partial update: known keys only, finite numbers ≥ 0 (downloadUrlTtlMs may be negative, for tests). */
export function checkPace(update: Record<string, unknown>): Partial<PaceProfile> {
  const out: Partial<PaceProfile> = {};
  for (const [key, value] of Object.entries(update)) {
    if (!(PACE_KEYS as string[]).includes(key)) {
      throw new Error(`unknown profile setting: ${key} (known: ${PACE_KEYS.join(', ')})`);
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || (n < 0 && key !== 'downloadUrlTtlMs')) {
      throw new Error(`profile setting ${key} must be a number of at least 0, not ${JSON.stringify(value)}`);
    }
    out[key as keyof PaceProfile] = n;
  }
  return out;
}

/** A profile's numbers with overrides applied (a fresh object: the live one the simulator mutates). */
export function paceFor(name: ProfileName, overrides: Partial<PaceProfile> = {}): PaceProfile {
  return { ...PROFILES[name], ...checkPace(overrides as Record<string, unknown>) };
}

/** `cloudkitLatencyMs` → `--cloudkit-latency-ms`, for the command line. */
export function flagName(key: keyof PaceProfile): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
