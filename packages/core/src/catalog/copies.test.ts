import type { Asset } from '@lifeboat/plugin-api';
import { CatalogError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import type { NewCopy } from './types.js';

function asset(id: string, version = 'v1'): Asset {
  return {
    id,
    fileName: `${id}.HEIC`,
    capturedAt: '2020-01-02T03:04:05',
    timeZone: 'UTC',
    albums: ['Family'],
    favorite: true,
    hidden: false,
    resources: [{ kind: 'original', fileName: `${id}.HEIC`, size: 10, version }],
    metadata: {},
  };
}

function copy(assetId: string, overrides: Partial<NewCopy> = {}): NewCopy {
  return {
    destination: 'drive-a',
    source: 'icloud',
    assetId,
    kind: 'original',
    version: 'v1',
    key: `2020/01/${assetId}.HEIC`,
    size: 10,
    sha256: `sha-${assetId}`,
    copiedAt: 'T1',
    verifiedAt: 'T1',
    ...overrides,
  };
}

let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
  const writer = catalog.beginInventory('icloud', 1, 'T0');
  for (const id of ['a', 'b', 'c']) writer.add(asset(id));
  writer.finish();
});
afterEach(() => catalog.close());

describe('copies', () => {
  it('records a copy and finds it', () => {
    expect(catalog.recordCopy(copy('a'))).toBe('recorded');
    expect(catalog.hasCopy('drive-a', 'icloud', 'a', 'original', 'v1')).toBe(true);
    expect(catalog.hasCopy('drive-b', 'icloud', 'a', 'original', 'v1')).toBe(false);
    expect(catalog.findCopy('drive-a', 'icloud', 'a', 'original', 'v1')).toEqual({ ...copy('a'), indexed: false });
    expect(catalog.findCopy('drive-a', 'icloud', 'b', 'original', 'v1')).toBeUndefined();
  });

  it('refreshes verifiedAt when the same copy is recorded again', () => {
    catalog.recordCopy(copy('a'));
    expect(catalog.recordCopy(copy('a', { verifiedAt: 'T9' }))).toBe('reverified');
    expect(catalog.findCopy('drive-a', 'icloud', 'a', 'original', 'v1')).toMatchObject({
      copiedAt: 'T1',
      verifiedAt: 'T9',
    });
  });

  it('refuses the same key with other bytes', () => {
    catalog.recordCopy(copy('a'));
    expect(() => catalog.recordCopy(copy('a', { sha256: 'other' }))).toThrow(CatalogError);
  });

  it('keeps the first record when a version is found under a second key', () => {
    catalog.recordCopy(copy('a'));
    expect(catalog.recordCopy(copy('a', { key: '2020/01/a (2).HEIC' }))).toBe('duplicate');
    expect(catalog.findCopy('drive-a', 'icloud', 'a', 'original', 'v1')?.key).toBe('2020/01/a.HEIC');
  });

  it('never gives one key to two resources', () => {
    catalog.recordCopy(copy('a'));
    expect(() => catalog.recordCopy(copy('b', { key: '2020/01/a.HEIC' }))).toThrow(CatalogError);
    // The same key on another destination is another file.
    expect(catalog.recordCopy(copy('b', { destination: 'drive-b', key: '2020/01/a.HEIC' }))).toBe('recorded');
  });

  it('keeps the old copy when a resource is edited, and does not count it for the new version', () => {
    catalog.recordCopy(copy('a'));
    const writer = catalog.beginInventory('icloud', 2, 'T2');
    for (const id of ['a', 'b', 'c']) writer.add(asset(id, id === 'a' ? 'v2' : 'v1'));
    writer.finish();
    expect(catalog.hasCopy('drive-a', 'icloud', 'a', 'original', 'v2')).toBe(false);
    expect(catalog.hasCopy('drive-a', 'icloud', 'a', 'original', 'v1')).toBe(true);
    catalog.recordCopy(copy('a', { version: 'v2', key: '2020/01/a (2).HEIC', sha256: 'sha-a2' }));
    expect([...catalog.copiesOn('drive-a')].map((c) => c.version)).toEqual(['v2', 'v1']);
  });
});

describe('pending copies and key owners', () => {
  it('records intent before a write and clears it when the copy is recorded', () => {
    const pending = {
      destination: 'drive-a',
      key: '2020/01/a.HEIC',
      source: 'icloud',
      assetId: 'a',
      kind: 'original',
      version: 'v1',
      startedAt: 'T1',
    };
    catalog.addPending(pending);
    expect(catalog.pendingFor('drive-a')).toEqual([pending]);
    expect(catalog.pendingFor('drive-b')).toEqual([]);
    expect(catalog.keyOwner('drive-a', '2020/01/a.HEIC')).toEqual({
      source: 'icloud',
      assetId: 'a',
      kind: 'original',
      version: 'v1',
      pending: true,
    });
    catalog.recordCopy(copy('a'));
    expect(catalog.pendingFor('drive-a')).toEqual([]);
    expect(catalog.keyOwner('drive-a', '2020/01/a.HEIC')).toMatchObject({ assetId: 'a', pending: false });
    expect(catalog.keyOwner('drive-a', 'nobody')).toBeUndefined();
  });

  it('lets the same resource retry a pending key but refuses another resource', () => {
    const pending = {
      destination: 'drive-a',
      key: 'k',
      source: 'icloud',
      assetId: 'a',
      kind: 'original',
      version: 'v1',
      startedAt: 'T1',
    };
    catalog.addPending(pending);
    catalog.addPending({ ...pending, startedAt: 'T2' });
    expect(catalog.pendingFor('drive-a')).toEqual([{ ...pending, startedAt: 'T2' }]);
    expect(() => catalog.addPending({ ...pending, assetId: 'b' })).toThrow(CatalogError);
    expect(() => catalog.recordCopy(copy('b', { key: 'k' }))).toThrow(CatalogError);
    catalog.recordCopy(copy('c', { key: 'taken' }));
    expect(() => catalog.addPending({ ...pending, key: 'taken' })).toThrow(CatalogError);
  });

  it('removes a pending write', () => {
    catalog.addPending({
      destination: 'drive-a',
      key: 'k',
      source: 'icloud',
      assetId: 'a',
      kind: 'original',
      version: 'v1',
      startedAt: 'T1',
    });
    catalog.removePending('drive-a', 'k');
    expect(catalog.pendingFor('drive-a')).toEqual([]);
    expect(catalog.keyOwner('drive-a', 'k')).toBeUndefined();
  });
});

describe('index bookkeeping', () => {
  it('lists unindexed copies with their metadata until marked indexed', () => {
    catalog.recordCopy(copy('a'));
    catalog.recordCopy(copy('b'));
    catalog.recordCopy(copy('c', { indexed: true }));
    catalog.recordCopy(copy('a', { destination: 'drive-b' }));
    const unindexed = catalog.unindexedCopies('drive-a');
    expect(unindexed.map((c) => c.assetId)).toEqual(['a', 'b']);
    expect(unindexed[0]).toEqual({
      ...copy('a'),
      indexed: false,
      fileName: 'a.HEIC',
      capturedAt: '2020-01-02T03:04:05',
      timeZone: 'UTC',
      albums: ['Family'],
      favorite: true,
      hidden: false,
    });
    expect(catalog.unindexedCopies('drive-a', 1)).toHaveLength(1);
    catalog.markIndexed('drive-a', ['2020/01/a.HEIC']);
    expect(catalog.unindexedCopies('drive-a').map((c) => c.assetId)).toEqual(['b']);
    expect(catalog.unindexedCopies('drive-b').map((c) => c.assetId)).toEqual(['a']);
    catalog.markIndexed('drive-a', []);
  });

  it('still lists a copy whose asset the catalog does not know (adopted from a destination index)', () => {
    catalog.recordCopy(copy('zz', { key: 'old/zz.JPG' }));
    expect(catalog.unindexedCopies('drive-a')[0]).toMatchObject({ assetId: 'zz', fileName: 'zz.JPG', albums: [] });
  });
});

describe('copyCounts', () => {
  it('counts distinct assets, copies and bytes per destination', () => {
    expect(catalog.copyCounts()).toEqual([]);
    catalog.recordCopy(copy('a'));
    catalog.recordCopy(copy('a', { version: 'v2', key: 'a2', size: 5 }));
    catalog.recordCopy(copy('b'));
    catalog.recordCopy(copy('a', { destination: 'drive-b' }));
    expect(catalog.copyCounts()).toEqual([
      { destination: 'drive-a', assets: 2, copies: 3, bytes: 25 },
      { destination: 'drive-b', assets: 1, copies: 1, bytes: 10 },
    ]);
  });
});

describe('presentResources with copiedOn', () => {
  it('says which of the given destinations hold the current version', () => {
    catalog.recordCopy(copy('a'));
    catalog.recordCopy(copy('a', { destination: 'drive-c' }));
    catalog.recordCopy(copy('b', { destination: 'drive-b' }));
    catalog.recordCopy(copy('c', { version: 'old', key: 'old-c' }));
    const rows = [...catalog.presentResources(['icloud'], { copiedOn: ['drive-a', 'drive-b', 'drive-c'] })];
    expect(rows.map((r) => [r.assetId, r.copiedOn])).toEqual([
      ['a', ['drive-a', 'drive-c']],
      ['b', ['drive-b']],
      ['c', []],
    ]);
    expect([...catalog.presentResources(['icloud'], { copiedOn: [] })].map((r) => r.copiedOn)).toEqual([[], [], []]);
    expect([...catalog.presentResources(['icloud'])][0]?.copiedOn).toBeUndefined();
  });

  it('refuses more destinations than it can flag', () => {
    const many = Array.from({ length: 32 }, (_, i) => `d${i}`);
    expect(() => [...catalog.presentResources(['icloud'], { copiedOn: many })]).toThrow(CatalogError);
  });
});
