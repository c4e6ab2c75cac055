/** Fault switches: every failure mode of docs/icloud-protocol.md §Errors, reproducible on demand. Mutate freely. */

export type FaultScope = 'all' | 'auth' | 'setup' | 'cloudkit' | 'download';

export interface Faults {
  /** Answer the next N requests in `throttleScope` with 503 "Service Temporary Unavailable" (a burst). */
  throttle: number;
  throttleScope: FaultScope;
  /** Sent as Retry-After (seconds) with those 503s; 0 = no header. */
  throttleRetryAfterSeconds: number;
  /** After N more CloudKit requests every web session is revoked: later CloudKit calls answer 421. null = off. */
  expireSessionsAfter: number | null;
  /** CloudKit answers ACCESS_DENIED "private db access disabled for this account" (ADP on / web access off). */
  accessDenied: boolean;
  /** dsInfo says Advanced Data Protection is on (iCDPEnabled) and web access is off (isWebAccessAllowed false). */
  adp: boolean;
  /** CheckIndexingState answers state RUNNING instead of FINISHED. */
  indexingNotFinished: boolean;
  /** accountLogin answers {"domainToUse": value} instead of the account (e.g. "iCloud.com.cn"). null = off. */
  domainToUse: string | null;
  /** The next N downloads deliver only half the requested bytes. */
  truncateDownloads: number;
  /**
   * Bytes a truncated download delivers before it ends (null: half of what was asked). With truncateMode 'reset'
   * this is a connection dropped mid-body after exactly that many bytes, as a Wi-Fi drop does.
   */
  truncateAfterBytes: number | null;
  /** 'clean': chunked body that ends early without error (the icloudpd #1311 case); 'reset': socket destroyed. */
  truncateMode: 'clean' | 'reset';
  /** The next N download requests answer 410 Gone, as an expired URL does. */
  expireDownloadUrls: number;
  /** Delay before every answer (control API excluded), in ms. */
  latencyMs: number;
  /** The next N signin/complete answer 403 with no body (Apple does for rate limits and rotated cookies). */
  signinForbidden: number;
  /** Every CloudKit request answers 421 Misdirected Request, whatever partition it went to. */
  misdirect: boolean;
}

export function defaultFaults(): Faults {
  return {
    throttle: 0,
    throttleScope: 'all',
    throttleRetryAfterSeconds: 0,
    expireSessionsAfter: null,
    accessDenied: false,
    adp: false,
    indexingNotFinished: false,
    domainToUse: null,
    truncateDownloads: 0,
    truncateAfterBytes: null,
    truncateMode: 'clean',
    expireDownloadUrls: 0,
    latencyMs: 0,
    signinForbidden: 0,
    misdirect: false,
  };
}

/** Merges a partial update (from the control API) into the live object, ignoring unknown keys. */
export function applyFaults(faults: Faults, update: Record<string, unknown>): Faults {
  const defaults = defaultFaults() as unknown as Record<string, unknown>;
  const target = faults as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(update)) {
    if (!(key in defaults)) throw new Error(`unknown fault: ${key}`);
    target[key] = value;
  }
  return faults;
}

export function resetFaults(faults: Faults): Faults {
  return Object.assign(faults, defaultFaults());
}
