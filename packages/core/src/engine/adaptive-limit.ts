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
  /**
   * After a throttle, how long before the level that drew it is tried again (default 5 minutes; doubled each
   * time that try is throttled too, up to an hour). A server with a fixed cap thus costs few 503s per run.
   */
  probeAfterMs?: number;
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
  /** The highest level not yet throttled, once a throttle came (Infinity before). */
  ceiling: number;
}

const MAX_PROBE_GAP_MS = 3_600_000;

/**
 * How many requests to send one server at once, found as TCP finds its window (AIMD): one more each time a
 * measurement window at full use moved more bytes or finished more files than the one before (flat throughput,
 * as under a bandwidth limit, means more at once would only queue), one back when the last step up made both
 * clearly worse, halved when the server throttles (503, 429, SlowDown, a timeout).
 * A throttle also sets a ceiling just under the level that drew it: the limit grows back to it quickly (doubling
 * each window: that level was fine before), but goes above it only after a long quiet time, so a server with a fixed cap is not
 * provoked again and again. Throttles that arrive while the answer to the first is still in force (its
 * Retry-After, or one window) are one event: the limit is halved once, not once per request that was in flight.
 * A server that gave a Retry-After gets nothing new before it passed: `acquire` waits for it.
 */
export class AdaptiveLimit {
  readonly max: number;
  readonly min: number;
  readonly initial: number;
  private current: number;
  private active = 0;
  private until = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly windowMs: number;
  private readonly now: () => number;
  private windowStart: number;
  private windowBytes = 0;
  private windowFiles = 0;
  /** Whether every slot was taken at some point in the window: only then does more concurrency mean anything. */
  private windowFull = false;
  private last: { bytes: number; files: number } | undefined;
  private lastStepUp = false;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private lowest: number;
  private highest: number;
  private ceiling = Number.POSITIVE_INFINITY;
  /** The ceiling before a probe above it started (to tell a failed probe from a new throttle). */
  private probedFrom: number | undefined;
  private throttledAt = 0;
  private episodeEnd = 0;
  private probeGapMs: number;
  private readonly probeBaseMs: number;

  constructor(options: AdaptiveLimitOptions = {}) {
    this.max = Math.max(1, Math.floor(options.max ?? 16));
    this.min = Math.min(this.max, Math.max(1, Math.floor(options.min ?? 1)));
    this.current = Math.min(this.max, Math.max(this.min, Math.floor(options.initial ?? 4)));
    this.initial = this.current;
    this.lowest = this.current;
    this.highest = this.current;
    this.windowMs = options.windowMs ?? 1_000;
    this.probeBaseMs = options.probeAfterMs ?? 300_000;
    this.probeGapMs = this.probeBaseMs;
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
      ceiling: this.ceiling,
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

  /** Gives the slot back; `finished` counts it as one request done, towards throughput. */
  release(finished = true): void {
    this.active = Math.max(0, this.active - 1);
    if (finished) this.windowFiles++;
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
    const at = this.now();
    if (signal.retryAfterMs !== undefined) this.until = Math.max(this.until, at + signal.retryAfterMs);
    // Answers to requests sent before the first throttle was known: the same event, already answered.
    if (at < this.episodeEnd) return;
    const failedProbe = this.probedFrom !== undefined && this.current > this.probedFrom;
    this.probeGapMs = failedProbe ? Math.min(MAX_PROBE_GAP_MS, this.probeGapMs * 2) : this.probeBaseMs;
    this.probedFrom = undefined;
    this.ceiling = Math.max(this.min, this.current - 1);
    this.current = Math.max(this.min, Math.floor(this.current / 2));
    this.lowest = Math.min(this.lowest, this.current);
    this.throttledAt = at;
    this.episodeEnd = Math.max(this.until, at + this.windowMs);
    // The halving already answers this burst: measure afresh (from when sending may resume), not against before.
    this.last = undefined;
    this.lastStepUp = false;
    this.resetWindow(Math.max(at, this.until));
  }

  /** Ms to wait before the server may be sent anything, given its Retry-After (0 when it may be now). */
  waitMs(): number {
    return Math.max(0, this.until - this.now());
  }

  private closeWindow(at: number): void {
    const ms = Math.max(1, at - this.windowStart);
    const now = { bytes: this.windowBytes / ms, files: this.windowFiles / ms };
    const last = this.last;
    const worse = last !== undefined && now.bytes < last.bytes * 0.8 && now.files < last.files * 0.8;
    const better = last === undefined || now.bytes > last.bytes * 1.05 || now.files > last.files * 1.05;
    if (this.lastStepUp && worse) {
      // The last step up made things slower: the server is at its limit, so go back one.
      this.current = Math.max(this.min, this.current - 1);
      this.lastStepUp = false;
    } else if (this.windowFull && this.current < this.max && this.mayGrow(at, better)) {
      // Below a known ceiling, back up as TCP's slow start does (doubling, up to it): that level worked before.
      this.current =
        Number.isFinite(this.ceiling) && this.current < this.ceiling
          ? Math.min(this.ceiling, this.max, this.current * 2)
          : this.current + 1;
      this.highest = Math.max(this.highest, this.current);
      this.lastStepUp = true;
      this.wake();
    } else this.lastStepUp = false;
    this.last = now;
    this.resetWindow(at);
  }

  /** Below a known ceiling, always (that level worked); at it, only after the quiet time; else while it helps. */
  private mayGrow(at: number, better: boolean): boolean {
    if (this.current < this.ceiling) return Number.isFinite(this.ceiling) || better;
    if (at - this.throttledAt < this.probeGapMs || !better) return false;
    this.probedFrom = this.ceiling;
    this.ceiling = Number.POSITIVE_INFINITY;
    return true;
  }

  private resetWindow(at: number): void {
    this.windowStart = at;
    this.windowBytes = 0;
    this.windowFiles = 0;
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
