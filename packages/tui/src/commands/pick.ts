import { resolve } from 'node:path';
import type { PickSummary } from '@lifeboat/core';
import type { PickRequest, PickService } from '../app/pick.js';
import { count, formatBytes } from '../output/format.js';
import { type Io, showControls } from '../output/io.js';
import { ProgressBar } from '../output/progress-bar.js';

/**
 * `restore --from <source>`: picks photos straight from a source. Each file is named on stdout as it comes (in a
 * dry run: what would come), then one summary line; `--json` prints the summary alone.
 */
export async function pick(
  service: PickService,
  io: Io,
  args: PickRequest & { json: boolean },
  signal: AbortSignal,
): Promise<number> {
  const bar = io.isTTY && !args.json ? new ProgressBar() : undefined;
  const started = Date.now();
  const tally = { listed: 0, listingDone: false, files: 0, bytes: 0, done: 0, downloaded: 0, drawn: 0 };
  // Lines go above the self-overwriting progress line: it is cleared first and drawn again after.
  const line = (write: (t: string) => void, text: string) => {
    bar?.done();
    write(text);
  };
  const draw = () => {
    if (!bar || Date.now() - tally.drawn < 200) return;
    tally.drawn = Date.now();
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? tally.downloaded / seconds : 0;
    bar.update({
      filesDone: tally.done,
      filesTotal: tally.files,
      bytesDone: tally.downloaded,
      bytesTotal: tally.bytes,
      bytesPerSecond: rate,
      etaSeconds: tally.listingDone && rate > 0 ? (tally.bytes - tally.downloaded) / rate : undefined,
      currentFile: undefined,
      listing: { assets: tally.listed, done: tally.listingDone },
    });
  };
  const summary = await service.pick(args, {
    signal,
    onEvent: (e) => {
      if (args.json) return;
      if (e.type === 'listed') [tally.listed, tally.listingDone] = [e.assets, e.done];
      if (e.type === 'matched') {
        [tally.files, tally.bytes] = [tally.files + 1, tally.bytes + e.item.size];
        if (args.dryRun) line(io.out, `${showControls(e.item.key)}  ${formatBytes(e.item.size)}`);
      }
      if (e.type === 'bytes') tally.downloaded += e.bytes;
      if (e.type === 'picked') {
        tally.done++;
        if (e.result === 'picked') line(io.out, showControls(e.item.key));
      }
      if (e.type === 'pick-failed') line(io.err, `failed: ${showControls(e.failure.key)}: ${e.failure.message}`);
      if (!args.dryRun) draw();
    },
  });
  bar?.done();
  if (args.json) io.json(summary);
  else io.out(summaryLine(summary, resolve(args.to), args.from));
  return summary.ok ? 0 : 1;
}

function summaryLine(s: PickSummary, to: string, from: string): string {
  const listed = `${s.matchedAssets} of ${count(s.listed, 'item')} in ${from} matched`;
  if (s.dryRun) {
    const sidecars = s.sidecarsMatched ? `, with ${count(s.sidecarsMatched, 'sidecar')}` : '';
    return `Dry run: ${count(s.matched, 'file')} (${formatBytes(s.matchedBytes)}) would come to ${to}${sidecars}; ${listed}. Nothing was downloaded.`;
  }
  const head = s.ok ? 'Picked' : 'Pick finished with problems';
  const extras = [
    s.alreadyPresent ? `${count(s.alreadyPresent, 'was', 'were')} already there` : '',
    s.sidecarsPresent ? `${count(s.sidecarsPresent, 'sidecar')} already there (kept as found)` : '',
    s.resumed ? `${count(s.resumed, 'file')} resumed where an earlier pick stopped` : '',
    s.failures.length ? `${count(s.failures.length, 'failed', 'failed')} (run the same command again to resume)` : '',
  ].filter(Boolean);
  const sidecars = s.sidecarsWritten ? `, with ${count(s.sidecarsWritten, 'sidecar')}` : '';
  return `${head}: ${s.filesPicked} of ${count(s.matched, 'file')} (${formatBytes(s.bytesDownloaded)} downloaded) to ${to}${sidecars}; ${listed}${extras.length ? `; ${extras.join('; ')}` : ''}.`;
}
