import pLimit, { type LimitFunction } from 'p-limit';

/** After a throttle, the level that was too much is tried again only after this many clean pages. */
const PROBE_AFTER = 100;

/**
 * How many CloudKit requests of a listing are in flight at once: starts at `max`, halves when CloudKit throttles
 * (503/429), then grows by one after as many clean pages as are in flight, but stays below the level that was
 * throttled until PROBE_AFTER clean pages have passed (so a server's fixed cap costs few 503s). `throttles`
 * reads how many throttled answers the CloudKit client has seen (each is also retried there, after Retry-After).
 */
export class PageLimiter {
  readonly #limit: LimitFunction;
  readonly #throttles: () => number;
  #seenThrottles: number;
  #clean = 0;
  /** The concurrency that was throttled last, and the clean pages since. */
  #ceiling = Number.POSITIVE_INFINITY;
  #sinceThrottle = 0;

  constructor(
    readonly max: number,
    throttles: () => number = () => 0,
  ) {
    this.#limit = pLimit(Math.max(1, max));
    this.#throttles = throttles;
    this.#seenThrottles = throttles();
  }

  get concurrency(): number {
    return this.#limit.concurrency;
  }

  /** Pages held ahead of the one being read: twice the concurrency, so a slow page does not stall the rest. */
  get window(): number {
    return this.#limit.concurrency * 2;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      try {
        return await fn();
      } finally {
        this.#adapt();
      }
    });
  }

  #adapt(): void {
    const throttles = this.#throttles();
    if (throttles > this.#seenThrottles) {
      this.#seenThrottles = throttles;
      this.#ceiling = this.#limit.concurrency;
      this.#clean = 0;
      this.#sinceThrottle = 0;
      this.#limit.concurrency = Math.max(1, Math.floor(this.#limit.concurrency / 2));
      return;
    }
    if (++this.#sinceThrottle >= PROBE_AFTER) this.#ceiling = Number.POSITIVE_INFINITY;
    const target = this.#limit.concurrency + 1;
    if (++this.#clean >= this.#limit.concurrency && target <= this.max && target < this.#ceiling) {
      this.#clean = 0;
      this.#limit.concurrency = target;
    }
  }
}
