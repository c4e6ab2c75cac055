import type { Asset } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';

function asset(id: string, over: Partial<Asset> = {}): Asset {
  return {
    id,
    fileName: `${id}.HEIC`,
    capturedAt: '2020-01-02T03:04:05',
    albums: ['Family'],
    favorite: id === 'a',
    hidden: false,
    resources: [
      { kind: 'original', fileName: `${id}.HEIC`, size: 10, version: 'v1', sha256: `sha-${id}` },
      { kind: 'live-video', fileName: `${id}.MOV`, size: 5, version: 'v1' },
    ],
    metadata: { assetRecordName: `rec-${id}` },
    ...over,
  };
}

let catalog: Catalog;
beforeEach(() => {
  catalog = Catalog.open(':memory:');
  const writer = catalog.beginInventory('icloud', 1, 'T0');
  writer.add(asset('a'));
  writer.add(asset('b', { deleted: { purgeAt: '2021-01-01T00:00:00Z' } }));
  writer.add(asset('c'));
  writer.finish();
  catalog.recordCopy({
    destination: 'drive-a',
    source: 'icloud',
    assetId: 'a',
    kind: 'original',
    version: 'v1',
    key: 'a.HEIC',
    size: 10,
    sha256: 'sha-a',
    copiedAt: 'T1',
    verifiedAt: 'T2',
  });
});
afterEach(() => catalog.close());

describe('offload candidates', () => {
  it('lists every listed asset with its current resources, copies, flags and source metadata', () => {
    const byId = new Map([...catalog.offloadCandidates('icloud')].map((c) => [c.assetId, c]));
    expect([...byId.keys()]).toEqual(['a', 'b', 'c']);
    const a = byId.get('a')!;
    expect(a).toMatchObject({
      favorite: true,
      albums: ['Family'],
      inSourceTrash: false,
      capturedAt: '2020-01-02T03:04:05',
    });
    expect(a.metadata).toEqual({ assetRecordName: 'rec-a' });
    expect(a.resources.map((r) => r.kind).sort()).toEqual(['live-video', 'original']);
    expect(a.copies).toEqual([
      {
        destination: 'drive-a',
        kind: 'original',
        version: 'v1',
        key: 'a.HEIC',
        size: 10,
        sha256: 'sha-a',
        verifiedAt: 'T2',
        copiedAt: 'T1',
      },
    ]);
    expect(byId.get('b')!.inSourceTrash).toBe(true);
    expect([...catalog.offloadCandidates('other')]).toEqual([]);
  });

  it('leaves out assets missing from the source', () => {
    const writer = catalog.beginInventory('icloud', 2, 'T3');
    writer.add(asset('a'));
    writer.finish();
    expect([...catalog.offloadCandidates('icloud')].map((c) => c.assetId)).toEqual(['a']);
  });
});

describe('offload ledger', () => {
  it('records moves with their vouchers and totals them per source', () => {
    const vouchers = [{ destination: 'drive-a', kind: 'original', version: 'v1', key: 'a.HEIC' }];
    catalog.recordOffload({
      source: 'icloud',
      assetId: 'a',
      fileName: 'a.HEIC',
      offloadedAt: 'T5',
      bytes: 15,
      vouchers,
    });
    catalog.recordOffload({
      source: 'icloud',
      assetId: 'c',
      fileName: 'c.HEIC',
      offloadedAt: 'T7',
      bytes: 15,
      vouchers: [],
    });
    expect(catalog.offloads('icloud').map((o) => o.assetId)).toEqual(['a', 'c']);
    expect(catalog.offloads(undefined, 'T6').map((o) => o.assetId)).toEqual(['c']);
    expect(catalog.offloads('icloud')[0]!.vouchers).toEqual(vouchers);
    expect(catalog.offloadTotals()).toEqual([{ source: 'icloud', assets: 2, bytes: 30 }]);
  });
});

describe('offloaded assets are not reported as gone', () => {
  it('neither when the next listing sees them in the trash, nor when the trash is emptied', () => {
    catalog.recordOffload({
      source: 'icloud',
      assetId: 'c',
      fileName: 'c.HEIC',
      offloadedAt: 'T5',
      bytes: 15,
      vouchers: [],
    });
    const inTrash = catalog.beginInventory('icloud', 2, 'T6');
    inTrash.add(asset('a'));
    inTrash.add(asset('b', { deleted: { purgeAt: '2021-01-01T00:00:00Z' } }));
    inTrash.add(asset('c', { deleted: { purgeAt: '2021-01-01T00:00:00Z' } }));
    expect(inTrash.finish().newlyGone).toBe(0);
    expect(catalog.goneAssets().map((g) => g.assetId)).toEqual(['b']);
    const purged = catalog.beginInventory('icloud', 3, 'T7');
    purged.add(asset('a'));
    expect(purged.finish().newlyGone).toBe(0);
    expect(catalog.goneAssets().map((g) => g.assetId)).toEqual(['b']);
    expect(catalog.offloadTotals()).toEqual([{ source: 'icloud', assets: 1, bytes: 15 }]);
  });

  it('an asset the user deleted is still reported', () => {
    const writer = catalog.beginInventory('icloud', 2, 'T6');
    writer.add(asset('a', { deleted: {} }));
    writer.add(asset('b', { deleted: { purgeAt: '2021-01-01T00:00:00Z' } }));
    writer.add(asset('c'));
    expect(writer.finish().newlyGone).toBe(1);
  });
});
