import type { Progress } from './events.js';

/** Throughput over a sliding window, so the ETA follows the current speed rather than the run's average. */
export class ProgressMeter {
  filesDone = 0;
  bytesDone = 0;
  currentFile: string | undefined;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    readonly filesTotal: number,
    readonly bytesTotal: number,
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
      etaSeconds: bytesPerSecond > 0 ? Math.ceil(remaining / bytesPerSecond) : undefined,
      currentFile: this.currentFile,
    };
  }
}
