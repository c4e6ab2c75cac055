import type { Asset, AssetResource } from '@lifeboat/plugin-api';
import { CatalogError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';

function resource(kind: string, version = 'v1', size = 100): AssetResource {
  return { kind, fileName: `IMG.${kind}`, size, version, locator: `loc/${kind}` };
}

function asset(id: string, overrides: Partial<Asset> = {}): Asset {
  return {
    id,
    fileName: `${id}.JPG`,
    capturedAt: '2019-05-04T12:30:00+02:00',
    timeZone: 'Europe/Paris',
    albums: ['Holidays'],
    favorite: false,
    hidden: false,
    resources: [resource('original')],
    metadata: { camera: 'X' },
    ...overrides,
  };
}

function list(catalog: Catalog, source: string, runId: number, now: string, assets: Asset[]) {
  const writer = catalog.beginInventory(source, runId, now);
  for (const a of assets) writer.add(a);
  return writer.finish();
}

let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
});
afterEach(() => catalog.close());

describe('inventory', () => {
  it('records listed assets with their resources and asset fields', () => {
    const result = list(catalog, 'icloud', 1, 'T1', [
      asset('a', { favorite: true, resources: [resource('original'), resource('live-video', 'v1', 50)] }),
    ]);
    expect(result).toEqual({ listed: 1, newlyGone: 0, reappeared: 0 });
    const resources = [...catalog.presentResources(['icloud'])];
    expect(resources).toEqual([
      expect.objectContaining({
        source: 'icloud',
        assetId: 'a',
        kind: 'live-video',
        size: 50,
        fileName: 'IMG.live-video',
      }),
      {
        source: 'icloud',
        assetId: 'a',
        kind: 'original',
        version: 'v1',
        fileName: 'IMG.original',
        size: 100,
        locator: 'loc/original',
        sha256: undefined,
        mediaType: undefined,
        assetFileName: 'a.JPG',
        capturedAt: '2019-05-04T12:30:00+02:00',
        timeZone: 'Europe/Paris',
        addedAt: undefined,
        albums: ['Holidays'],
        favorite: true,
        hidden: false,
      },
    ]);
  });

  it('updates an asset listed again with new fields and a new version', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a')]);
    list(catalog, 'icloud', 2, 'T2', [
      asset('a', { albums: ['Best'], hidden: true, resources: [resource('original', 'v2', 200)] }),
    ]);
    const [r] = [...catalog.presentResources(['icloud'])];
    expect(r).toMatchObject({ version: 'v2', size: 200, albums: ['Best'], hidden: true });
  });

  it('drops a resource the source no longer lists for an asset', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a', { resources: [resource('original'), resource('edited')] })]);
    list(catalog, 'icloud', 2, 'T2', [asset('a', { resources: [resource('original')] })]);
    expect([...catalog.presentResources(['icloud'])].map((r) => r.kind)).toEqual(['original']);
  });

  it('keeps sources apart', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a')]);
    list(catalog, 'folder', 1, 'T1', [asset('a'), asset('b')]);
    expect([...catalog.presentResources(['icloud'])]).toHaveLength(1);
    expect([...catalog.presentResources(['folder'])]).toHaveLength(2);
    expect([...catalog.presentResources(['icloud', 'folder'])]).toHaveLength(3);
    expect([...catalog.presentResources([])]).toHaveLength(0);
  });

  it('counts an asset listed twice once', () => {
    expect(list(catalog, 'icloud', 1, 'T1', [asset('a'), asset('a')]).listed).toBe(1);
  });

  it('refuses an invalid asset without recording it', () => {
    const writer = catalog.beginInventory('icloud', 1, 'T1');
    expect(() => writer.add(asset(''))).toThrow(CatalogError);
    expect(() => writer.add(asset('a', { resources: [resource('original', 'v1', -1)] }))).toThrow(CatalogError);
    expect(() => writer.add(asset('b', { metadata: { n: 1n } }))).toThrow(CatalogError);
    writer.add(asset('c'));
    expect(writer.finish().listed).toBe(1);
  });

  it('refuses use after finish', () => {
    const writer = catalog.beginInventory('icloud', 1, 'T1');
    writer.finish();
    expect(() => writer.add(asset('a'))).toThrow(CatalogError);
    expect(() => writer.finish()).toThrow(CatalogError);
  });

  it('writes a 10,000-asset listing in batches', () => {
    const assets = Array.from({ length: 10_000 }, (_, i) =>
      asset(`id-${i}`, { resources: [resource('original'), resource('live-video')] }),
    );
    expect(list(catalog, 'icloud', 1, 'T1', assets).listed).toBe(10_000);
    let count = 0;
    for (const _ of catalog.presentResources(['icloud'])) count++;
    expect(count).toBe(20_000);
  });
});

describe('vanished ledger', () => {
  it('records an asset missing from a finished listing as gone, with the dates', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a'), asset('b')]);
    const result = list(catalog, 'icloud', 2, 'T2', [asset('a')]);
    expect(result).toEqual({ listed: 1, newlyGone: 1, reappeared: 0 });
    expect(catalog.goneAssets('icloud')).toEqual([
      {
        source: 'icloud',
        assetId: 'b',
        fileName: 'b.JPG',
        firstMissingAt: 'T2',
        lastSeenAt: 'T1',
        inSourceTrash: false,
      },
    ]);
    expect(catalog.goneCount()).toBe(1);
    expect([...catalog.presentResources(['icloud'])].map((r) => r.assetId)).toEqual(['a']);
  });

  it('keeps the first missing date while an asset stays gone', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a'), asset('b')]);
    list(catalog, 'icloud', 2, 'T2', [asset('a')]);
    expect(list(catalog, 'icloud', 3, 'T3', [asset('a')]).newlyGone).toBe(0);
    expect(catalog.goneAssets()[0]).toMatchObject({ assetId: 'b', firstMissingAt: 'T2', lastSeenAt: 'T1' });
  });

  it('marks nothing gone when the listing is abandoned', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a'), asset('b')]);
    const writer = catalog.beginInventory('icloud', 2, 'T2');
    writer.add(asset('a', { favorite: true }));
    expect(writer.abandon()).toEqual({ listed: 1, newlyGone: 0, reappeared: 0 });
    expect(catalog.goneCount()).toBe(0);
    const present = [...catalog.presentResources(['icloud'])];
    expect(present.map((r) => [r.assetId, r.favorite])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('takes a reappearing asset off the ledger', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a'), asset('b')]);
    list(catalog, 'icloud', 2, 'T2', [asset('a')]);
    expect(list(catalog, 'icloud', 3, 'T3', [asset('a'), asset('b')])).toEqual({
      listed: 2,
      newlyGone: 0,
      reappeared: 1,
    });
    expect(catalog.goneCount('icloud')).toBe(0);
    expect([...catalog.presentResources(['icloud'])]).toHaveLength(2);
  });

  it('only looks at the listed source', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('a')]);
    list(catalog, 'folder', 2, 'T2', [asset('x')]);
    expect(catalog.goneCount()).toBe(0);
    expect(catalog.goneCount('folder')).toBe(0);
  });

  it('keeps the copies of a gone asset', () => {
    list(catalog, 'icloud', 1, 'T1', [asset('b')]);
    catalog.recordCopy({
      destination: 'drive',
      source: 'icloud',
      assetId: 'b',
      kind: 'original',
      version: 'v1',
      key: '2019/05/b.JPG',
      size: 100,
      sha256: 'ab',
      copiedAt: 'T1',
      verifiedAt: 'T1',
    });
    list(catalog, 'icloud', 2, 'T2', []);
    expect(catalog.goneCount()).toBe(1);
    expect(catalog.hasCopy('drive', 'icloud', 'b', 'original', 'v1')).toBe(true);
    expect([...catalog.copiesOn('drive')]).toHaveLength(1);
    expect(catalog.unindexedCopies('drive')[0]).toMatchObject({ fileName: 'IMG.original', albums: ['Holidays'] });
  });
});

describe("assets in the source's trash (Recently Deleted)", () => {
  const T1 = '2026-01-01T00:00:00.000Z';
  const T2 = '2026-01-02T00:00:00.000Z';
  const T3 = '2026-01-03T00:00:00.000Z';
  const T4 = '2026-01-04T00:00:00.000Z';
  const purge = '2026-02-01T00:00:00.000Z';
  const trashed = (id: string, at?: string) => asset(id, { deleted: { ...(at ? { at } : {}), purgeAt: purge } });

  it('keeps backing them up, and reports each deletion once, dated by the first sighting', () => {
    list(catalog, 'icloud', 1, T1, [asset('a'), asset('b')]);
    expect(list(catalog, 'icloud', 2, T2, [asset('a'), trashed('b')]).newlyGone).toBe(1);
    // Still a current asset: its resources are planned for copying like any other.
    expect([...catalog.presentResources(['icloud'])].map((r) => r.assetId)).toEqual(['a', 'b']);
    expect(catalog.goneAssets('icloud')).toEqual([
      {
        source: 'icloud',
        assetId: 'b',
        fileName: 'b.JPG',
        firstMissingAt: T2,
        lastSeenAt: T2,
        inSourceTrash: true,
        purgeAt: purge,
      },
    ]);
    expect(list(catalog, 'icloud', 3, T3, [asset('a'), trashed('b')]).newlyGone).toBe(0);
    expect(catalog.goneAssets()[0]).toMatchObject({ firstMissingAt: T2, inSourceTrash: true });
  });

  it('uses the deletion date the source gives', () => {
    list(catalog, 'icloud', 1, T1, [asset('a')]);
    list(catalog, 'icloud', 2, T2, [trashed('a', T1)]);
    expect(catalog.goneAssets()[0]).toMatchObject({ firstMissingAt: T1 });
  });

  it('does not report the emptying of the trash as a second disappearance', () => {
    list(catalog, 'icloud', 1, T1, [asset('a'), asset('b')]);
    list(catalog, 'icloud', 2, T2, [asset('a'), trashed('b')]);
    expect(list(catalog, 'icloud', 3, T3, [asset('a')]).newlyGone).toBe(0);
    expect(catalog.goneAssets()).toEqual([
      { source: 'icloud', assetId: 'b', fileName: 'b.JPG', firstMissingAt: T2, lastSeenAt: T2, inSourceTrash: false },
    ]);
    expect(catalog.goneCount('icloud')).toBe(1);
    expect([...catalog.presentResources(['icloud'])].map((r) => r.assetId)).toEqual(['a']);
  });

  it('takes an asset restored from the trash off the report', () => {
    list(catalog, 'icloud', 1, T1, [asset('a')]);
    list(catalog, 'icloud', 2, T2, [trashed('a')]);
    expect(list(catalog, 'icloud', 3, T3, [asset('a')]).newlyGone).toBe(0);
    expect(catalog.goneCount()).toBe(0);
    // Deleted again later: a new deletion, reported again.
    expect(list(catalog, 'icloud', 4, T4, [trashed('a')]).newlyGone).toBe(1);
    expect(catalog.goneAssets()[0]).toMatchObject({ firstMissingAt: T4 });
  });

  it('reports a deletion seen by an interrupted listing, but nothing missing', () => {
    list(catalog, 'icloud', 1, T1, [asset('a'), asset('b')]);
    const writer = catalog.beginInventory('icloud', 2, T2);
    writer.add(trashed('a'));
    expect(writer.abandon()).toEqual({ listed: 1, newlyGone: 1, reappeared: 0 });
    expect(catalog.goneAssets().map((g) => [g.assetId, g.inSourceTrash])).toEqual([['a', true]]);
  });

  it('ignores a deletion date that is not a date', () => {
    list(catalog, 'icloud', 1, T1, [asset('a', { deleted: { at: 'yesterday', purgeAt: 'soon' } })]);
    expect(catalog.goneAssets()).toEqual([
      { source: 'icloud', assetId: 'a', fileName: 'a.JPG', firstMissingAt: T1, lastSeenAt: T1, inSourceTrash: true },
    ]);
  });
});
