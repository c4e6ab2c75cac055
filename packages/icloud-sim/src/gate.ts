/**
 * Admission at Apple's pace: per-client concurrency limits answered with 503 + Retry-After, the penalty for a
 * client that sends again before that Retry-After has passed, and the sign-in burst limit. Uses the real
 * monotonic clock (not the simulator's settable one): Retry-After is about real waiting.
 */
import { performance } from 'node:perf_hooks';
import type { Counters } from './counters.js';
import type { PaceProfile } from './pace.js';

/** The hosts a client talks to; each keeps its own Retry-After, as Apple's hosts do. */
export type Host = 'auth' | 'setup' | 'cloudkit' | 'download';

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; retryAfterSeconds: number | undefined; violation: boolean };

interface ClientState {
  inFlight: number;
  /** Monotonic ms before which this client must not send to this host (0: free). */
  retryAt: number;
  /** When the 503 that opened the current window went out; requests within the grace after it are forgiven. */
  refusedAt: number;
}

export class Gate {
  private readonly clients = new Map<string, ClientState>();
  private readonly signins = new Map<string, number[]>();

  constructor(
    private readonly pace: PaceProfile,
    private readonly counters: Counters,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  private limitOf(host: Host): number {
    if (host === 'cloudkit') return this.pace.maxConcurrentCloudkit;
    if (host === 'download') return this.pace.maxConcurrentDownloads;
    return 0;
  }

  /** Lets a request in (call `release` once its answer is done) or says why it gets 503. */
  admit(host: Host, client: string): Admission {
    const key = `${host} ${client}`;
    let state = this.clients.get(key);
    if (!state) {
      state = { inFlight: 0, retryAt: 0, refusedAt: 0 };
      this.clients.set(key, state);
    }
    const now = this.clock();
    if (now < state.retryAt && now - state.refusedAt > this.pace.retryAfterGraceMs) {
      this.counters.violation(host);
      this.counters.paceRefusal(host);
      state.retryAt = now + this.pace.penaltySeconds * 1000;
      state.refusedAt = now;
      return { ok: false, retryAfterSeconds: this.pace.penaltySeconds, violation: true };
    }
    const limit = this.limitOf(host);
    if (limit > 0 && state.inFlight >= limit) {
      this.counters.paceRefusal(host);
      if (now >= state.retryAt) state.refusedAt = now; // a new window; inside one, its grace keeps its start
      state.retryAt = Math.max(state.retryAt, now + this.pace.retryAfterSeconds * 1000);
      return { ok: false, retryAfterSeconds: Math.ceil((state.retryAt - now) / 1000), violation: false };
    }
    state.inFlight++;
    this.counters.inFlight(host, state.inFlight);
    const admitted = state;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        admitted.inFlight--;
      },
    };
  }

  /** signin/init: at most `signinMaxAttempts` per client per window; refused attempts count too (retrying into a 503 keeps it shut). */
  admitSignin(client: string): boolean {
    const max = this.pace.signinMaxAttempts;
    if (max <= 0) return true;
    const now = this.clock();
    const since = now - this.pace.signinWindowSeconds * 1000;
    const attempts = (this.signins.get(client) ?? []).filter((t) => t > since);
    attempts.push(now);
    this.signins.set(client, attempts);
    if (attempts.length <= max) return true;
    this.counters.paceRefusal('auth');
    return false;
  }

  /** Requests to `host` in flight now, all clients together (an answer counts until its socket is done with it). */
  inFlight(host: Host): number {
    let total = 0;
    for (const [key, state] of this.clients) if (key.startsWith(`${host} `)) total += state.inFlight;
    return total;
  }

  /** Forgets every Retry-After window, penalty and sign-in attempt (in-flight counts stay: those requests run on). */
  reset(): void {
    for (const state of this.clients.values()) {
      state.retryAt = 0;
      state.refusedAt = 0;
    }
    this.signins.clear();
  }
}
