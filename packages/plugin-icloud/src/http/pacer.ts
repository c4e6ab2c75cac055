import { setTimeout as sleep } from 'node:timers/promises';

/** Without a Retry-After, a throttled host is left alone this long, doubling per throttle in a row. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000 };
/** Timers may fire a little early; never knock before the server's time is up. */
const MARGIN_MS = 50;

/**
 * Pacing per host, shared by every request of one source (listing pages and downloads alike): when a host
 * answers 503 or 429, no request goes to it again before its Retry-After has passed (or, without one, a
 * growing backoff). Requests already on their way are not recalled; the ones that come after wait.
 */
export class HostPacer {
  readonly #notBefore = new Map<string, number>();
  readonly #strikes = new Map<string, number>();
  readonly #now: () => number;
  readonly #backoff: Backoff;

  constructor(options: { now?: () => number; backoff?: Backoff } = {}) {
    this.#now = options.now ?? Date.now;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Resolves once `host` may be asked again. */
  async wait(host: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const ms = (this.#notBefore.get(host) ?? 0) - this.#now();
      if (ms <= 0) return;
      await sleep(ms, undefined, signal ? { signal } : {});
    }
  }

  /** Records a 503/429 from `host`; returns how long (ms) the host is now left alone. */
  throttled(host: string, retryAfter: string | null): number {
    const strikes = (this.#strikes.get(host) ?? 0) + 1;
    this.#strikes.set(host, strikes);
    const asked = parseRetryAfter(retryAfter, this.#now());
    const ms = (asked ?? Math.min(this.#backoff.maxMs, this.#backoff.baseMs * 2 ** (strikes - 1))) + MARGIN_MS;
    const until = Math.max(this.#notBefore.get(host) ?? 0, this.#now() + ms);
    this.#notBefore.set(host, until);
    return until - this.#now();
  }

  /** A normal answer from `host`: the next throttle starts the backoff from the beginning. */
  ok(host: string): void {
    this.#strikes.delete(host);
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110, section 10.2.3); undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
