/** State shared by the simulator's services: accounts, sessions, libraries, faults, counters and the clock. */
import type { SimAccount } from './accounts.js';
import type { Counters } from './counters.js';
import type { Faults } from './faults.js';
import type { Gate } from './gate.js';
import type { Library } from './library.js';
import type { PaceProfile } from './pace.js';
import type { SessionStore } from './session-store.js';

export interface SimContext {
  /** http://127.0.0.1:<port>: the auth, setup and CloudKit hosts. */
  baseUrl: string;
  /** The content host downloads are served from (another loopback address, or another port): no cookies reach it. */
  downloadBaseUrl: string;
  accounts: Map<string, SimAccount>;
  sessions: SessionStore;
  /** PrimarySync first, then the SharedSync library if any. */
  libraries: Library[];
  faults: Faults;
  counters: Counters;
  /** The server's clock (the real one plus `advanceClock`, or a test's): sessions and download URLs expire by it. */
  now: () => number;
  /** Moves the server's clock forward (e.g. past the lifetime of download URLs). */
  advanceClock(ms: number): void;
  /** Live pace numbers (latencies, limits, Retry-After, download URL lifetime). */
  pace: PaceProfile;
  gate: Gate;
  /** HMAC key for download URL signatures. */
  urlSecret: Buffer;
  /**
   * The server partition that serves CloudKit (0: the base URL; N: `/partition-N`). CloudKit requests to any
   * other partition answer 421 Misdirected Request; accountLogin and validate hand out the current one.
   */
  partition: number;
}

export function findAccount(ctx: SimContext, appleId: unknown): SimAccount | undefined {
  return typeof appleId === 'string' ? ctx.accounts.get(appleId.toLowerCase()) : undefined;
}
