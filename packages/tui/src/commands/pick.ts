import { resolve } from 'node:path';
import type { PickSummary } from '@lifeboat/core';
import type { PickRequest, PickService } from '../app/pick.js';
import { count, formatBytes } from '../output/format.js';
import { type Io, showControls } from '../output/io.js';

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
  let lastProgress = 0;
  let downloaded = 0;
  const summary = await service.pick(args, {
    signal,
    onEvent: (e) => {
      if (args.json) return;
      if (e.type === 'matched' && args.dryRun) io.out(`${showControls(e.item.key)}  ${formatBytes(e.item.size)}`);
      if (e.type === 'picked' && e.result === 'picked') io.out(showControls(e.item.key));
      if (e.type === 'pick-failed') io.err(`failed: ${showControls(e.failure.key)}: ${e.failure.message}`);
      if (e.type === 'bytes') downloaded += e.bytes;
      if (io.isTTY && (e.type === 'bytes' || e.type === 'listed') && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        io.err(`… ${formatBytes(downloaded)} downloaded`);
      }
    },
  });
  if (args.json) io.json(summary);
  else io.out(summaryLine(summary, resolve(args.to), args.from));
  return summary.ok ? 0 : 1;
}

function summaryLine(s: PickSummary, to: string, from: string): string {
  const listed = `${count(s.matchedAssets, 'item')} of ${count(s.listed, 'item')} in ${from} matched`;
  if (s.dryRun) {
    return `Dry run: ${count(s.matched, 'file')} (${formatBytes(s.matchedBytes)}) would come to ${to}; ${listed}. Nothing was downloaded.`;
  }
  const head = s.ok ? 'Picked' : 'Pick finished with problems';
  const extras = [
    s.alreadyPresent ? `${count(s.alreadyPresent, 'was', 'were')} already there` : '',
    s.resumed ? `${count(s.resumed, 'file')} resumed where an earlier pick stopped` : '',
    s.failures.length ? `${count(s.failures.length, 'failed', 'failed')} (run the same command again to resume)` : '',
  ].filter(Boolean);
  return `${head}: ${s.filesPicked} of ${count(s.matched, 'file')} (${formatBytes(s.bytesDownloaded)} downloaded) to ${to}; ${listed}${extras.length ? `; ${extras.join('; ')}` : ''}.`;
}
