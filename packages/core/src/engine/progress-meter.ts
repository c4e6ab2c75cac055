import type { Progress } from './events.js';

/** Throughput over a sliding window, so the ETA follows the current speed rather than the run's average. */
export class ProgressMeter {
  filesDone = 0;
  bytesDone = 0;
  currentFile: string | undefined;
  /** While a run lists as it copies: assets listed so far, and whether the listing ended (the totals are final). */
  listing: { assets: number; done: boolean } | undefined;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    public filesTotal: number,
    public bytesTotal: number,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 5_000,
  ) {
    this.samples.push({ at: this.now(), bytes: 0 });
  }

  addBytes(n: number): void {
    this.bytesDone += n;
  }

  snapshot(): Progress {
    const at = this.now();
    this.samples.push({ at, bytes: this.bytesDone });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const bytesPerSecond = seconds > 0 ? (this.bytesDone - first.bytes) / seconds : 0;
    // Retries read a file again, so more bytes than planned can pass: then nothing remains, not less than nothing.
    const remaining = Math.max(0, this.bytesTotal - this.bytesDone);
    return {
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond,
      // Before the listing ended the total is still growing: an ETA then would only mislead.
      etaSeconds:
        bytesPerSecond > 0 && (this.listing?.done ?? true) ? Math.ceil(remaining / bytesPerSecond) : undefined,
      currentFile: this.currentFile,
      ...(this.listing ? { listing: { ...this.listing } } : {}),
    };
  }
}
