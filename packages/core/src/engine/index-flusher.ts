import type { Destination } from '@lifeboat/plugin-api';
import type { Catalog, IndexableCopy } from '../catalog/index.js';
import { appendIndex, INDEX_FORMAT_VERSION, type IndexEntry } from '../dest-index/index.js';

const BATCH = 1_000;

export function toIndexEntry(c: IndexableCopy): IndexEntry {
  return {
    v: INDEX_FORMAT_VERSION,
    key: c.key,
    source: c.source,
    assetId: c.assetId,
    kind: c.kind,
    version: c.version,
    fileName: c.fileName,
    size: c.size,
    sha256: c.sha256,
    ...(c.capturedAt ? { capturedAt: c.capturedAt } : {}),
    ...(c.timeZone ? { timeZone: c.timeZone } : {}),
    albums: c.albums,
    ...(c.albumFolders && Object.keys(c.albumFolders).length > 0 ? { albumFolders: c.albumFolders } : {}),
    ...(c.folder ? { folder: c.folder } : {}),
    favorite: c.favorite,
    hidden: c.hidden,
    copiedAt: c.copiedAt,
    ...(c.sidecar ? { sidecar: { key: c.sidecar.key, size: c.sidecar.size, sha256: c.sidecar.sha256 } } : {}),
  };
}

/**
 * Writes copies the catalog knows but the destination's index does not yet list, as new index segments.
 * Copies are recorded in the catalog first and flushed here in batches (one segment per batch rather than
 * one per file); a crash between the two is repaired by the next flush, since the catalog remembers.
 */
export class IndexFlusher {
  private chain: Promise<void> = Promise.resolve();
  private sinceFlush = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly destinationName: string,
    private readonly destination: Destination,
    private readonly clock: () => Date,
    private readonly everyCopies = 500,
    /** Copies whose entry should wait for the next flush (a sidecar being written beside them right now). */
    private readonly holdBack: (key: string) => boolean = () => false,
  ) {}

  /** Counts a new copy; flushes in the background every `everyCopies`. */
  noteCopy(): void {
    if (++this.sinceFlush >= this.everyCopies) void this.flush().catch(() => {});
  }

  /** Flushes everything pending; concurrent calls run one after another. */
  flush(): Promise<void> {
    this.sinceFlush = 0;
    const next = this.chain.then(() => this.flushNow());
    this.chain = next.catch(() => {});
    return next;
  }

  private async flushNow(): Promise<void> {
    for (;;) {
      const unindexed = this.catalog.unindexedCopies(this.destinationName, BATCH);
      // A copy whose sidecar is being written is listed once, with it, by a later flush (the run's last one).
      const copies = unindexed.filter((c) => !this.holdBack(c.key));
      if (copies.length === 0) return;
      await appendIndex(this.destination, copies.map(toIndexEntry), this.clock());
      // Albums a source reported late may have changed an entry while it was written: that copy stays unindexed
      // and its next entry (same key and copiedAt, in a later segment) is the one every reader keeps.
      this.catalog.markIndexedAsWritten(this.destinationName, copies);
      // Pages through a backlog only: chasing the few copies that landed while the segment was written would
      // write a tiny segment per round trip for the rest of a run (113 segments for 1,000 files, measured).
      if (unindexed.length < BATCH || copies.length < unindexed.length) return;
    }
  }
}
