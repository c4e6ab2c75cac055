import { sleep } from '@lifeboat/plugin-api';

/**
 * A bandwidth limit shared by every copy of a run (rclone's --bwlimit): bytes are let through at `bytesPerSecond`
 * on average, with at most `burstBytes` let through at once after an idle spell. A caller asking for more than the
 * burst is let through in burst-sized steps, so a large chunk cannot overshoot the rate.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Callers wait in turn, so one large chunk is not starved by many small ones. */
  private queue: Promise<void> = Promise.resolve();
  readonly burstBytes: number;

  constructor(
    readonly bytesPerSecond: number,
    options: { burstBytes?: number; now?: () => number } = {},
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError('bytesPerSecond must be positive');
    // A tenth of a second's worth: smooth enough to hold the rate within a few percent over seconds.
    this.burstBytes = Math.max(1, Math.floor(options.burstBytes ?? Math.max(16 * 1024, bytesPerSecond / 10)));
    this.now = options.now ?? (() => performance.now());
    this.tokens = this.burstBytes;
    this.last = this.now();
  }

  private readonly now: () => number;

  /** Resolves once `bytes` may pass. */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.drain(bytes, signal));
    // The next caller waits for this one to finish, whether or not it was aborted.
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async drain(bytes: number, signal?: AbortSignal): Promise<void> {
    let owed = bytes;
    while (owed > 0) {
      this.refill();
      const step = Math.min(owed, this.burstBytes);
      if (this.tokens >= step) {
        this.tokens -= step;
        owed -= step;
        continue;
      }
      await sleep(Math.ceil(((step - this.tokens) / this.bytesPerSecond) * 1000), signal);
    }
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((at - this.last) / 1000) * this.bytesPerSecond);
    this.last = at;
  }
}

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * Reads a bandwidth like rclone does: `20M` is 20 MiB/s, `512K`, `1.5G`, a bare number is bytes/s (`off` or 0:
 * no limit). Undefined for no limit; throws RangeError on anything else.
 */
export function parseBandwidth(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^(off|0)$/i.test(trimmed)) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?(?:\/s)?$/i.exec(trimmed);
  if (!m) throw new RangeError(`"${text}" is not a bandwidth: use e.g. 20M (MiB/s), 512K or 1.5G`);
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
  if (bytes <= 0) throw new RangeError(`"${text}" is not a bandwidth: use e.g. 20M (MiB/s), 512K or 1.5G`);
  return bytes;
}
