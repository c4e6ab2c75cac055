/**
 * Paces one response body at a byte rate with plain timers: bytes go out in slices of about 50 ms worth, and the
 * writer sleeps whenever it is ahead of the rate. The rate is read live, so a profile change applies mid-body.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const MIN_SLICE = 16 * 1024;

export class RateLimiter {
  private anchorAt = performance.now();
  private anchorBytes = 0;
  private bytes = 0;
  private anchorRate: number;

  /** `rate()`: bytes per second, 0 for unlimited. */
  constructor(private readonly rate: () => number) {
    this.anchorRate = rate();
  }

  /** The chunk cut into slices of about 50 ms at the current rate (the whole chunk when unlimited). */
  *slices(chunk: Buffer): Generator<Buffer> {
    const rate = this.rate();
    const size = rate > 0 ? Math.max(MIN_SLICE, Math.floor(rate / 20)) : chunk.length;
    for (let offset = 0; offset < chunk.length; offset += size) yield chunk.subarray(offset, offset + size);
  }

  /** Records `n` bytes written and waits until the rate allows the next ones. */
  async sent(n: number): Promise<void> {
    this.bytes += n;
    const rate = this.rate();
    if (rate !== this.anchorRate) {
      // A live change: pace what follows from now on at the new rate.
      this.anchorRate = rate;
      this.anchorAt = performance.now();
      this.anchorBytes = this.bytes;
      return;
    }
    if (rate <= 0) return;
    const due = this.anchorAt + ((this.bytes - this.anchorBytes) / rate) * 1000;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
  }
}

/** Resolves when a response can take more data (or is closed). */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
