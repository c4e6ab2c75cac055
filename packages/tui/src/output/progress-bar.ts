import type { Progress } from '@lifeboat/core';
import { formatBytes, formatDuration } from './format.js';

/** One self-overwriting line on stderr; drawn only when stderr is a terminal. */
export class ProgressBar {
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: Progress): void {
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 60));
    const ratio = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 1;
    const filled = Math.round(ratio * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const eta = p.etaSeconds === undefined ? '' : ` ETA ${formatDuration(p.etaSeconds)}`;
    // While the listing runs beside the copying, the totals still grow: say how far each has got, no percentage.
    const listing = p.listing && !p.listing.done ? p.listing : undefined;
    const line = listing
      ? `listing: ${listing.assets} assets so far | copied ${p.filesDone}/${p.filesTotal}+ files ${formatBytes(p.bytesDone)} ${formatBytes(p.bytesPerSecond)}/s`
      : `${bar} ${String(Math.floor(ratio * 100)).padStart(3)}% ${p.filesDone}/${p.filesTotal} files ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} ${formatBytes(p.bytesPerSecond)}/s${eta}`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\u001b[K`);
    this.drawn = true;
  }

  /** Clears the line so the summary starts on a clean one. */
  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
