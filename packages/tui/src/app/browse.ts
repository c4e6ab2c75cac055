import {
  type IndexEntry,
  type RestoreEvent,
  type RestoreSummary,
  readIndex,
  requireMarker,
  restoreFromDestination,
  wallClockDate,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { openFrom } from '../commands/restore.js';

/** A destination opened for browsing: its own index (so it works with no local state) and a way to restore. */
export interface Browsable {
  label: string;
  entries: IndexEntry[];
  restore(
    keys: ReadonlySet<string>,
    to: string,
    options: { signal: AbortSignal; onEvent: (e: RestoreEvent) => void },
  ): Promise<RestoreSummary>;
}

/** Opens a configured destination by name, or a backup folder by its path, and reads its index. */
export async function openBrowsable(c: DependencyContainer, from: string, signal: AbortSignal): Promise<Browsable> {
  const destination = await openFrom(c, { from, set: [], secret: [], to: '', json: false }, signal);
  await requireMarker(destination, from);
  const entries = await readIndex(destination);
  return {
    label: from,
    entries,
    restore: (keys, to, o) =>
      restoreFromDestination({
        destination,
        to,
        filter: { match: (e) => keys.has(e.key) },
        signal: o.signal,
        onEvent: o.onEvent,
      }),
  };
}

/** Year and month of an entry's capture (wall clock), or "undated". */
export function periodOf(entry: IndexEntry): { year: string; month: string } {
  const d = wallClockDate(entry.capturedAt);
  return d ? { year: d.yyyy, month: d.mm } : { year: 'undated', month: 'undated' };
}
