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
