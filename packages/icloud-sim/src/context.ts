/** State shared by the simulator's services: accounts, sessions, libraries, faults, counters and the clock. */
import type { SimAccount } from './accounts.js';
import type { Counters } from './counters.js';
import type { Faults } from './faults.js';
import type { Library } from './library.js';
import type { SessionStore } from './session-store.js';

export interface SimContext {
  /** http://127.0.0.1:<port>, the root every handed-out URL starts with. */
  baseUrl: string;
  accounts: Map<string, SimAccount>;
  sessions: SessionStore;
  /** PrimarySync first, then the SharedSync library if any. */
  libraries: Library[];
  faults: Faults;
  counters: Counters;
  now: () => number;
  downloadUrlTtlMs: number;
  /** HMAC key for download URL signatures. */
  urlSecret: Buffer;
}

export function findAccount(ctx: SimContext, appleId: unknown): SimAccount | undefined {
  return typeof appleId === 'string' ? ctx.accounts.get(appleId.toLowerCase()) : undefined;
}
