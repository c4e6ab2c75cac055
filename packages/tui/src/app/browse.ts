import {
  type IndexEntry,
  type RestoreEvent,
  type RestoreSummary,
  readIndex,
  requireMarker,
  restoreFromDestination,
  wallClockDate,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { RestoreService } from './restore.js';

/** A destination opened for browsing: its own index (so it works with no local state) and a way to restore. */
export interface Browsable {
  label: string;
  entries: IndexEntry[];
  restore(
    keys: ReadonlySet<string>,
    to: string,
    options: { signal: AbortSignal; onEvent: (e: RestoreEvent) => void },
  ): Promise<RestoreSummary>;
  /** The picture of a JPEG or PNG copy (read from the destination), for the preview; undefined for other files. */
  preview(entry: IndexEntry, signal: AbortSignal): Promise<Buffer | undefined>;
}

/** Copies shown as previews: pictures a terminal renderer can decode, small enough to read whole. */
const SHOWABLE = /\.(jpe?g|png)$/i;
const MAX_PREVIEW_BYTES = 8_000_000;

/** Browsing a destination's own index, to restore what is picked. */
@injectable()
export class BrowseService {
  constructor(@inject(RestoreService) private readonly restorer: RestoreService) {}

  /** Opens a configured destination by name, or a backup folder by its path, and reads its index. */
  async open(from: string, signal: AbortSignal): Promise<Browsable> {
    const destination = await this.restorer.open({ from, set: [], secret: [] }, signal);
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
      preview: async (entry, signal) => {
        if (!SHOWABLE.test(entry.key) || entry.size > MAX_PREVIEW_BYTES) return undefined;
        const chunks: Uint8Array[] = [];
        for await (const chunk of await destination.read(entry.key, { signal })) chunks.push(chunk);
        return Buffer.concat(chunks);
      },
    };
  }
}

/** Year and month of an entry's capture (wall clock), or "undated". */
export function periodOf(entry: IndexEntry): { year: string; month: string } {
  const d = wallClockDate(entry.capturedAt);
  return d ? { year: d.yyyy, month: d.mm } : { year: 'undated', month: 'undated' };
}
