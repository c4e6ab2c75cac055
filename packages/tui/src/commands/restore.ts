import { resolve } from 'node:path';
import { DAMAGED_HINT, UsageError } from '@lifeboat/core';
import type { PickService } from '../app/pick.js';
import type { RestoreRequest, RestoreService } from '../app/restore.js';
import { count, formatBytes } from '../output/format.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';
import { pick } from './pick.js';

export interface RestoreArgs extends RestoreRequest {
  json: boolean;
  /** Filters only a source can answer (`restore --from <source>`). */
  favorites?: boolean;
  kind?: string;
  include?: string;
  sidecars?: string;
  dryRun?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function restore(service: RestoreService, picker: PickService, io: Io, args: RestoreArgs) {
  for (const [flag, value] of [
    ['--since', args.since],
    ['--until', args.until],
    ['--offloaded-since', args.offloadedSince],
  ] as const) {
    if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`${flag} ${value} is not a date`, {
        hint: `Write it as YYYY-MM-DD, e.g. ${flag} 2024-01-31`,
      });
    }
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  if (!args.type && picker.isSource(args.from)) {
    return pick(picker, io, { ...args, from: args.from }, abort.signal);
  }
  const sourceOnly = (['favorites', 'kind', 'include', 'sidecars', 'dryRun'] as const).filter(
    (k) => args[k] !== undefined && args[k] !== false,
  );
  if (sourceOnly.length > 0) {
    throw new UsageError(
      `${sourceOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} ${sourceOnly.length === 1 ? 'works' : 'work'} only with --from <source>`,
      {
        hint: 'Give a configured source (`lifeboat source list`) to pick from, or leave them out to restore from a destination',
      },
    );
  }
  const summary = await service.restore(args, {
    signal: abort.signal,
    secret: readSecret,
    onDamagedMarker: (error) => {
      io.err(`warning: ${error.message}; restoring from the index anyway. ${error.hint ?? ''}`);
    },
    onEvent: (e) => {
      if (e.type === 'restore-failed' && !args.json) io.err(`failed: ${e.failure.key}: ${e.failure.message}`);
      if (e.type === 'index-damaged' && !args.json) {
        io.err(`skipped a damaged index line: ${e.damaged.segment} line ${e.damaged.line}: ${e.damaged.reason}`);
      }
    },
  });
  if (args.json) io.json(summary);
  else {
    io.out(
      `${summary.ok ? 'Restored' : 'Restore finished with problems'}: ${summary.filesRestored} of ${count(summary.matched, 'matching file')} (${formatBytes(summary.bytesRestored)}) to ${resolve(args.to)}${summary.sidecarsRestored ? `, with ${count(summary.sidecarsRestored, 'sidecar')}` : ''}${summary.alreadyPresent ? `; ${count(summary.alreadyPresent, 'was', 'were')} already there` : ''}.`,
    );
  }
  if (summary.leftoversRemoved > 0 && !args.json) {
    io.err(`Removed ${summary.leftoversRemoved} temp file(s) an interrupted restore had left in ${resolve(args.to)}.`);
  }
  if (summary.damagedIndexLines.length > 0 && !args.json) {
    io.err(
      `${summary.damagedIndexLines.length} damaged index line(s) skipped: the files they described were not restored. ${DAMAGED_HINT}, then restore again.`,
    );
  }
  return summary.ok ? 0 : 1;
}
