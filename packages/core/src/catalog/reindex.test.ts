import type { Asset } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';

const asset = (fields: Partial<Asset> = {}): Asset => ({
  id: 'a',
  fileName: 'a.HEIC',
  capturedAt: '2020-01-02T03:04:05',
  albums: ['Family', 'Paris'],
  albumFolders: { Paris: 'Trips' },
  favorite: false,
  hidden: false,
  resources: [{ kind: 'original', fileName: 'a.HEIC', size: 10, version: 'v1' }],
  metadata: {},
  ...fields,
});

let catalog: Catalog;
let run = 0;
function list(a: Asset) {
  const writer = catalog.beginInventory('icloud', ++run, `T${run}`);
  writer.add(a);
  writer.finish();
}
const unindexed = () => catalog.unindexedCopies('drive-a').map((c) => [c.key, c.albums, c.albumFolders, c.folder]);

beforeEach(() => {
  catalog = Catalog.open(':memory:');
  list(asset({ folder: 'Trip 2024' }));
  catalog.recordCopy({
    destination: 'drive-a',
    source: 'icloud',
    assetId: 'a',
    kind: 'original',
    version: 'v1',
    key: '2020/01/a.HEIC',
    size: 10,
    sha256: 'x',
    copiedAt: 'T1',
    verifiedAt: 'T1',
  });
  catalog.markIndexedAsWritten('drive-a', [{ key: '2020/01/a.HEIC', albums: ['Family', 'Paris'] }]);
});
afterEach(() => catalog.close());

describe('index entries follow the source', () => {
  it('carry the album folders and the source folder', () => {
    list(asset({ folder: 'Trip 2024', favorite: true }));
    expect(unindexed()).toEqual([['2020/01/a.HEIC', ['Family', 'Paris'], { Paris: 'Trips' }, 'Trip 2024']]);
  });

  it('are written again when a listing takes the photo out of an album, and not when nothing changed', () => {
    list(asset({ folder: 'Trip 2024' }));
    expect(unindexed()).toEqual([]);
    list(asset({ folder: 'Trip 2024', albums: ['Paris'] }));
    expect(unindexed()).toEqual([['2020/01/a.HEIC', ['Paris'], { Paris: 'Trips' }, 'Trip 2024']]);
  });
});
