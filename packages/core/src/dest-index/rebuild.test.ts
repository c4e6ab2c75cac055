import { createHash } from 'node:crypto';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { INDEX_FORMAT_VERSION, INDEX_PREFIX, type IndexEntry, MARKER_KEY } from './format.js';
import { appendIndex, scanIndex } from './index-store.js';
import { writeBuffer } from './io.js';
import { initializeDestination, inspectMarker } from './marker.js';
import { DAMAGED_PREFIX, rebuildIndex } from './rebuild.js';

const sha = (data: string) => createHash('sha256').update(data).digest('hex');

async function copy(d: MemoryDestination, key: string, data: string): Promise<IndexEntry> {
  await writeBuffer(d, key, Buffer.from(data));
  return {
    v: INDEX_FORMAT_VERSION,
    key,
    source: 'photos',
    assetId: key,
    kind: 'original',
    version: 'v1',
    fileName: key.split('/').pop()!,
    size: Buffer.byteLength(data),
    sha256: sha(data),
    capturedAt: '2021-05-06T07:08:09',
    albums: ['Trip'],
    favorite: false,
    hidden: false,
    copiedAt: '2024-01-01T00:00:00.000Z',
  };
}

const now = new Date('2025-01-01T00:00:00Z');

describe('rebuildIndex', () => {
  it('indexes every copy from its bytes when the index and marker are gone', async () => {
    const d = new MemoryDestination();
    await copy(d, '2021/05/a.jpg', 'aaa');
    await copy(d, '2021/06/b.jpg', 'bbbb');
    const summary = await rebuildIndex(d, { name: 'drive-a', now });
    expect(summary).toMatchObject({ files: 2, alreadyIndexed: 0, marker: { state: 'written' } });
    const { entries, damaged } = await scanIndex(d);
    expect(damaged).toEqual([]);
    expect(entries.map((e) => [e.key, e.size, e.sha256])).toEqual([
      ['2021/05/a.jpg', 3, sha('aaa')],
      ['2021/06/b.jpg', 4, sha('bbbb')],
    ]);
    const marker = await inspectMarker(d);
    expect(marker).toMatchObject({ state: 'ok', marker: { name: 'drive-a', id: summary.marker.id } });
  });

  it('keeps readable records, re-indexes what damaged lines described, and sets the damaged segment aside', async () => {
    const d = new MemoryDestination();
    const marker = await initializeDestination(d, 'drive-a', now.toISOString());
    const a = await copy(d, '2021/05/a.jpg', 'aaa');
    const b = await copy(d, '2021/05/b.jpg', 'bbb');
    const c = await copy(d, '2021/05/c.jpg', 'ccc');
    await appendIndex(d, [a], new Date(1000));
    const bad = `${JSON.stringify(b)}\n${JSON.stringify({ ...c, size: 'three' })}\n{"v":1,"key":"2021/05/d`;
    await writeBuffer(d, `${INDEX_PREFIX}z-damaged.jsonl`, Buffer.from(bad));
    const summary = await rebuildIndex(d, { name: 'drive-a', now });
    expect(summary.damagedLines.map((l) => l.line)).toEqual([2, 3]);
    expect(summary.added.map((e) => e.key)).toEqual(['2021/05/c.jpg']);
    expect(summary.marker).toEqual({ state: 'kept', id: marker.id });
    expect(summary.setAside).toEqual([expect.stringMatching(new RegExp(`^${DAMAGED_PREFIX}.*z-damaged\\.jsonl$`))]);
    expect(d.objects.has(`${INDEX_PREFIX}z-damaged.jsonl`)).toBe(false);
    expect(d.objects.get(summary.setAside[0]!)!.data.toString()).toBe(bad);
    const { entries, damaged } = await scanIndex(d);
    expect(damaged).toEqual([]);
    // b's readable record (capture date, albums) survives; c is known by its bytes only.
    expect(entries.find((e) => e.key === b.key)).toEqual(b);
    expect(entries.find((e) => e.key === c.key)).toMatchObject({ sha256: c.sha256, size: 3, source: 'rebuilt' });
  });

  it('sets a damaged marker aside and writes a new one', async () => {
    const d = new MemoryDestination();
    await copy(d, 'x.jpg', 'x');
    await writeBuffer(d, MARKER_KEY, Buffer.from('{"format": "lifeboat-dest'));
    const summary = await rebuildIndex(d, { name: 'drive-a', now });
    expect(summary.marker.state).toBe('written');
    expect((await inspectMarker(d)).state).toBe('ok');
    expect(summary.setAside.some((k) => k.endsWith('destination.json'))).toBe(true);
  });

  it('refuses an empty folder (an unmounted drive) and writes nothing there', async () => {
    const d = new MemoryDestination();
    await expect(rebuildIndex(d, { name: 'drive-a', now })).rejects.toMatchObject({
      code: 'LIFEBOAT_NOTHING_TO_REBUILD',
    });
    expect(d.objects.size).toBe(0);
  });
});
