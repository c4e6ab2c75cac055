import type { Destination } from '@lifeboat/plugin-api';
import { describeError, ErrorCode, LifeboatError, toFailure } from '@lifeboat/plugin-api';
import pLimit from 'p-limit';
import { type DamagedIndexLine, type IndexEntry, scanIndex } from '../dest-index/index.js';
import { wallClockDate } from '../layout/index.js';
import { captureTime } from '../sidecar/capture-time.js';
import { makeDirs } from '../util/make-dirs.js';
import { removeRestoreLeftovers } from './leftovers.js';
import { restoreFile } from './restore-file.js';

export interface RestoreFilter {
  /** Inclusive `YYYY-MM-DD` bounds on the capture date (wall clock). */
  since?: string;
  until?: string;
  /** Extra predicate, e.g. a glob on the key. */
  match?: (entry: IndexEntry) => boolean;
}

export interface RestoreFailure {
  key: string;
  code: string;
  message: string;
}

export interface RestoreSummary {
  ok: boolean;
  matched: number;
  filesRestored: number;
  bytesRestored: number;
  /** Files already in the target folder with the right content. */
  alreadyPresent: number;
  /** XMP sidecars restored beside their files (not counted in `filesRestored`). */
  sidecarsRestored: number;
  failures: RestoreFailure[];
  /** Index lines that could not be read (skipped; the files they described are not restored). */
  damagedIndexLines: DamagedIndexLine[];
  /** Temp files a killed restore had left in the restore folder, removed before this one began. */
  leftoversRemoved: number;
}

export type RestoreEvent =
  | { type: 'restore-planned'; files: number; bytes: number }
  | { type: 'index-damaged'; damaged: DamagedIndexLine }
  | { type: 'restored'; key: string; bytes: number }
  | { type: 'restore-failed'; failure: RestoreFailure };

export function selectEntries(entries: IndexEntry[], filter: RestoreFilter): IndexEntry[] {
  return entries.filter((e) => {
    if (filter.since || filter.until) {
      const d = wallClockDate(e.capturedAt);
      if (!d) return false;
      const day = `${d.yyyy}-${d.mm}-${d.dd}`;
      if (filter.since && day < filter.since) return false;
      if (filter.until && day > filter.until) return false;
    }
    return filter.match ? filter.match(e) : true;
  });
}

/**
 * Restores copies from one destination using only what the destination holds (its index), so it works on a
 * new machine with no local state. Every file is checked against the index's sha256 before it is placed.
 */
export async function restoreFromDestination(options: {
  destination: Destination;
  to: string;
  filter: RestoreFilter;
  concurrency?: number;
  signal?: AbortSignal;
  onEvent?: (e: RestoreEvent) => void;
}): Promise<RestoreSummary> {
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  // A damaged line (a half-written last line after a power cut) costs only the file it described.
  const index = await scanIndex(options.destination);
  for (const damaged of index.damaged) emit({ type: 'index-damaged', damaged });
  const selected = selectEntries(index.entries, options.filter);
  await prepareTarget(options.to);
  const leftovers = await removeRestoreLeftovers(options.to);
  emit({ type: 'restore-planned', files: selected.length, bytes: selected.reduce((s, e) => s + e.size, 0) });
  const summary: RestoreSummary = {
    ok: true,
    matched: selected.length,
    filesRestored: 0,
    bytesRestored: 0,
    alreadyPresent: 0,
    sidecarsRestored: 0,
    failures: [],
    damagedIndexLines: index.damaged,
    leftoversRemoved: leftovers.length,
  };
  const limit = pLimit(options.concurrency ?? 4);
  await Promise.all(
    selected.map((entry) =>
      limit(async () => {
        if (signal.aborted) return;
        const failed = (key: string, error: unknown) => {
          const failure = { key, code: toFailure(error).code, message: describeError(error) };
          summary.failures.push(failure);
          emit({ type: 'restore-failed', failure });
        };
        try {
          // The file gets its capture time back as its modification time.
          const at = captureTime(entry.capturedAt, entry.timeZone)?.instant;
          const result = await restoreFile(options.destination, entry, options.to, signal, at);
          if (result === 'present') summary.alreadyPresent++;
          else {
            summary.filesRestored++;
            summary.bytesRestored += entry.size;
          }
          emit({ type: 'restored', key: entry.key, bytes: entry.size });
        } catch (error) {
          failed(entry.key, error);
        }
        if (!entry.sidecar || signal.aborted) return;
        try {
          const sidecar = { ...entry.sidecar, assetId: entry.assetId };
          if ((await restoreFile(options.destination, sidecar, options.to, signal)) === 'restored') {
            summary.sidecarsRestored++;
          }
        } catch (error) {
          failed(entry.sidecar.key, error);
        }
      }),
    ),
  );
  summary.ok = summary.failures.length === 0 && index.damaged.length === 0 && !signal.aborted;
  return summary;
}

/** The restore folder is checked once, up front, so an impossible target fails with one clear message. */
async function prepareTarget(to: string): Promise<void> {
  try {
    await makeDirs(to);
  } catch (error) {
    throw new LifeboatError(
      ErrorCode.RestoreTarget,
      `Cannot create the restore folder ${to}: ${describeError(error)}`,
      {
        hint: 'Choose a folder you can write to (it is created when missing)',
      },
    );
  }
}
