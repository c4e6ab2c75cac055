import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import type { Catalog, IndexableCopy } from '../catalog/index.js';
import { INDEX_PREFIX, readIndex } from '../dest-index/index.js';
import { IndexFlusher } from './index-flusher.js';

/** Just what the flusher asks of the catalog: copies not yet in the destination's index. */
class PendingCopies {
  private readonly unindexed: IndexableCopy[] = [];
  private made = 0;

  land(n: number): void {
    for (let i = 0; i < n; i++, this.made++) {
      this.unindexed.push({
        source: 'src',
        assetId: `a${this.made}`,
        kind: 'original',
        version: 'v1',
        destination: 'd',
        key: `2024/01/IMG_${this.made}.JPG`,
        size: 1,
        sha256: '0'.repeat(64),
        copiedAt: '2024-01-01T00:00:00Z',
        verifiedAt: '2024-01-01T00:00:00Z',
        indexed: false,
        fileName: `IMG_${this.made}.JPG`,
        albums: [],
        favorite: false,
        hidden: false,
      });
    }
  }

  asCatalog(): Catalog {
    return {
      unindexedCopies: (_: string, limit = Number.POSITIVE_INFINITY) => this.unindexed.slice(0, limit),
      markIndexedAsWritten: (_: string, written: readonly { key: string }[]) => {
        const done = new Set(written.map((w) => w.key));
        this.unindexed.splice(0, this.unindexed.length, ...this.unindexed.filter((c) => !done.has(c.key)));
      },
    } as unknown as Catalog;
  }
}

const segments = (d: MemoryDestination) => [...d.objects.keys()].filter((k) => k.startsWith(INDEX_PREFIX));

describe('IndexFlusher', () => {
  it('writes one segment per flush while copies keep landing, not one per round trip', async () => {
    const pending = new PendingCopies();
    const destination = new MemoryDestination({ medium: 'm' });
    // Copies land while each segment is written, as they do in a run: the flush must not chase them.
    const write = destination.write.bind(destination);
    let landing = 30;
    destination.write = async (key, body, options) => {
      if (landing > 0) {
        pending.land(3);
        landing -= 3;
      }
      return write(key, body, options);
    };
    const flusher = new IndexFlusher(pending.asCatalog(), 'd', destination, () => new Date(), 10);
    pending.land(10);
    for (let i = 0; i < 10; i++) flusher.noteCopy(); // the 10th starts a background flush
    await new Promise((r) => setTimeout(r, 50));
    expect(segments(destination), 'segments the background flush wrote').toHaveLength(1);
    landing = 0; // the run's copies are done
    await flusher.flush(); // the end of the run: everything left
    expect(segments(destination)).toHaveLength(2);
    expect(await readIndex(destination)).toHaveLength(13);
  });

  it('pages through a backlog larger than one segment', async () => {
    const pending = new PendingCopies();
    const destination = new MemoryDestination({ medium: 'm' });
    pending.land(2_500);
    await new IndexFlusher(pending.asCatalog(), 'd', destination, () => new Date()).flush();
    expect(segments(destination)).toHaveLength(3);
    expect(await readIndex(destination)).toHaveLength(2_500);
  });
});

describe('IndexFlusher, holding back a copy whose sidecar is being written', () => {
  it('lists it once, with the next flush, and the others at once', async () => {
    const pending = new PendingCopies();
    pending.land(3);
    const d = new MemoryDestination();
    const held = new Set(['2024/01/IMG_1.JPG']);
    const flusher = new IndexFlusher(
      pending.asCatalog(),
      'd',
      d,
      () => new Date(),
      500,
      (k) => held.has(k),
    );
    await flusher.flush();
    expect((await readIndex(d)).map((e) => e.key)).toEqual(['2024/01/IMG_0.JPG', '2024/01/IMG_2.JPG']);
    held.clear();
    await flusher.flush();
    expect((await readIndex(d)).map((e) => e.key).sort()).toEqual([
      '2024/01/IMG_0.JPG',
      '2024/01/IMG_1.JPG',
      '2024/01/IMG_2.JPG',
    ]);
    expect(segments(d)).toHaveLength(2);
  });
});
