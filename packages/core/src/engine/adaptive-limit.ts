import type { ThrottleSignal } from './throttle-signal.js';

export interface AdaptiveLimitOptions {
  /** Requests at once when the run starts. */
  initial?: number;
  /** Never more than this at once (a source's `maxConcurrency`). */
  max?: number;
  /** Never fewer (default 1). */
  min?: number;
  /** How long one throughput measurement lasts before the limit may move up. */
  windowMs?: number;
  now?: () => number;
}

export interface LimitState {
  limit: number;
  /** The lowest and highest limit so far: how far throttles pushed it down, and how far it grew. */
  lowest: number;
  highest: number;
  inFlight: number;
  /** Epoch ms before which nothing may be sent (a Retry-After), or 0. */
  blockedUntil: number;
}

/**
 * How many requests to send one server at once, found as TCP finds its window (AIMD): one more each time a
 * measurement window at full use moved more bytes than the one before (throughput still grows; flat throughput,
 * as under a bandwidth limit, means more at once would only queue), one back when the last step up made it
 * slower, halved when the server throttles (503, 429, SlowDown, a timeout).
 * A server that gave a Retry-After gets nothing new before it passed: `acquire` waits for it.
 */
export class AdaptiveLimit {
  readonly max: number;
  readonly min: number;
  private current: number;
  private active = 0;
  private until = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly windowMs: number;
  private readonly now: () => number;
  private windowStart: number;
  private windowBytes = 0;
  /** Whether every slot was taken at some point in the window: only then does more concurrency mean anything. */
  private windowFull = false;
  private lastRate: number | undefined;
  private lastStepUp = false;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private lowest: number;
  private highest: number;

  constructor(options: AdaptiveLimitOptions = {}) {
    this.max = Math.max(1, Math.floor(options.max ?? 16));
    this.min = Math.min(this.max, Math.max(1, Math.floor(options.min ?? 1)));
    this.current = Math.min(this.max, Math.max(this.min, Math.floor(options.initial ?? 4)));
    this.lowest = this.current;
    this.highest = this.current;
    this.windowMs = options.windowMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.windowStart = this.now();
  }

  get state(): LimitState {
    return {
      limit: this.current,
      lowest: this.lowest,
      highest: this.highest,
      inFlight: this.active,
      blockedUntil: this.until,
    };
  }

  /** Waits for a free slot (and for any Retry-After to pass); the caller must `release` it once. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (!this.canStart()) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
        this.armTimer();
      });
    }
    signal?.throwIfAborted();
    this.active++;
    if (this.active >= this.current) this.windowFull = true;
  }

  /** Gives the slot back. */
  release(): void {
    this.active = Math.max(0, this.active - 1);
    this.wake();
  }

  /** Bytes moved through this server: what throughput is measured in. */
  noteBytes(n: number): void {
    this.windowBytes += n;
    const at = this.now();
    if (at - this.windowStart >= this.windowMs) this.closeWindow(at);
  }

  /** The server asked to slow down: half as many at once, and nothing before its Retry-After. */
  throttled(signal: ThrottleSignal = {}): void {
    this.current = Math.max(this.min, Math.floor(this.current / 2));
    this.lowest = Math.min(this.lowest, this.current);
    if (signal.retryAfterMs !== undefined) this.until = Math.max(this.until, this.now() + signal.retryAfterMs);
    // The halving already answers this burst: measure afresh rather than against the rate before it.
    this.lastRate = undefined;
    this.lastStepUp = false;
    this.resetWindow(this.now());
  }

  /** Ms to wait before the server may be sent anything, given its Retry-After (0 when it may be now). */
  waitMs(): number {
    return Math.max(0, this.until - this.now());
  }

  private closeWindow(at: number): void {
    const rate = this.windowBytes / Math.max(1, at - this.windowStart);
    const last = this.lastRate;
    if (last !== undefined && this.lastStepUp && rate < last * 0.9) {
      // The last step up made things slower: the server is at its limit, so go back one.
      this.current = Math.max(this.min, this.current - 1);
      this.lastStepUp = false;
    } else if (this.windowFull && (last === undefined || rate > last * 1.05) && this.current < this.max) {
      this.current++;
      this.highest = Math.max(this.highest, this.current);
      this.lastStepUp = true;
      this.wake();
    } else this.lastStepUp = false;
    this.lastRate = rate;
    this.resetWindow(at);
  }

  private resetWindow(at: number): void {
    this.windowStart = at;
    this.windowBytes = 0;
    this.windowFull = this.active >= this.current;
  }

  private canStart(): boolean {
    return this.active < this.current && this.now() >= this.until;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waiters blocked by a Retry-After are woken when it passes, even if no slot is released meanwhile. */
  private armTimer(): void {
    const wait = this.until - this.now();
    if (wait <= 0 || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wake();
    }, wait + 1);
  }
}
