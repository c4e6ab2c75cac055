import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, type CatalogResource } from '../catalog/index.js';
import { writeBuffer } from '../dest-index/index.js';
import { KeyPicker } from './key-picker.js';

const LAYOUT = '{yyyy}/{mm}/{name}';

function resource(assetId: string, fields: Partial<CatalogResource> = {}): CatalogResource {
  return {
    source: 'icloud',
    assetId,
    kind: 'original',
    version: 'v1',
    fileName: 'IMG_0001.JPG',
    size: 5,
    assetFileName: 'IMG_0001.JPG',
    capturedAt: '2020-01-15T10:00:00+01:00',
    albums: [],
    favorite: false,
    hidden: false,
    ...fields,
  };
}

let catalog: Catalog;
let destination: MemoryDestination;
let picker: KeyPicker;

beforeEach(() => {
  catalog = Catalog.open(':memory:');
  destination = new MemoryDestination();
  picker = new KeyPicker(catalog, 'drive-a', destination, LAYOUT);
});
afterEach(() => catalog.close());

function record(r: CatalogResource, key: string) {
  catalog.recordCopy({
    destination: 'drive-a',
    source: r.source,
    assetId: r.assetId,
    kind: r.kind,
    version: r.version,
    key,
    size: r.size,
    sha256: 'f'.repeat(64),
    copiedAt: 'T',
    verifiedAt: 'T',
  });
}

describe('KeyPicker', () => {
  it('gives the layout key when it is free', async () => {
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001.JPG');
  });

  it("never picks a key whose sidecar name is another copy's, nor another copy's sidecar name", async () => {
    // A source file literally called `IMG_0001.JPG.xmp` was copied first.
    record(resource('xmp-named', { fileName: 'IMG_0001.JPG.xmp' }), '2020/01/IMG_0001.JPG.xmp');
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001 (2).JPG');
    record(resource('b', { fileName: 'IMG_0002.JPG' }), '2020/01/IMG_0002.JPG');
    expect(await picker.pick(resource('c', { fileName: 'IMG_0002.JPG.xmp' }))).toBe('2020/01/IMG_0002.JPG (2).xmp');
  });

  it('sanitises hostile file names into the key', async () => {
    expect(await picker.pick(resource('a', { fileName: '../../etc/passwd' }))).toMatch(/^2020\/01\/[^/]+passwd$/);
  });

  it('never takes a key held on the destination by an object it does not know', async () => {
    await writeBuffer(destination, '2020/01/IMG_0001.JPG', Buffer.from('someone else'));
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001 (2).JPG');
    await writeBuffer(destination, '2020/01/IMG_0002 (2).JPG', Buffer.from('x'));
    await writeBuffer(destination, '2020/01/IMG_0002.JPG', Buffer.from('x'));
    expect(await picker.pick(resource('b', { fileName: 'IMG_0002.JPG' }))).toBe('2020/01/IMG_0002 (3).JPG');
  });

  it('never takes a key the catalog gives to another file', async () => {
    record(resource('other'), '2020/01/IMG_0001.JPG');
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001 (2).JPG');
  });

  it('gives a new version of the same asset a new key, keeping the old copy', async () => {
    record(resource('a', { version: 'v1' }), '2020/01/IMG_0001.JPG');
    expect(await picker.pick(resource('a', { version: 'v2' }))).toBe('2020/01/IMG_0001 (2).JPG');
  });

  it('gives different keys to concurrent picks of different files with the same name', async () => {
    const keys = await Promise.all(['a', 'b', 'c', 'd'].map((id) => picker.pick(resource(id))));
    expect(new Set(keys).size).toBe(4);
    expect(keys.sort()).toEqual([
      '2020/01/IMG_0001 (2).JPG',
      '2020/01/IMG_0001 (3).JPG',
      '2020/01/IMG_0001 (4).JPG',
      '2020/01/IMG_0001.JPG',
    ]);
  });

  it('gives different keys to concurrent picks even when the destination answers slowly', async () => {
    const slow = new (class extends MemoryDestination {
      override async stat(key: string) {
        await new Promise((r) => setTimeout(r, key.includes('(') ? 1 : 10));
        return super.stat(key);
      }
    })();
    const p = new KeyPicker(catalog, 'drive-a', slow, LAYOUT);
    await writeBuffer(slow, '2020/01/IMG_0001.JPG', Buffer.from('x'));
    const keys = await Promise.all(['a', 'b', 'c'].map((id) => p.pick(resource(id))));
    expect(new Set(keys).size).toBe(3);
    expect(keys).not.toContain('2020/01/IMG_0001.JPG');
  });

  it('reuses the pending key of the same version left by an interrupted attempt', async () => {
    const r = resource('a');
    record(resource('other'), '2020/01/IMG_0001.JPG');
    catalog.addPending({ ...r, destination: 'drive-a', key: '2020/01/IMG_0001 (2).JPG', startedAt: 'T' });
    expect(await picker.pick(r)).toBe('2020/01/IMG_0001 (2).JPG');
  });

  it('does not reuse a pending key of another version or another file', async () => {
    catalog.addPending({
      ...resource('a', { version: 'v0' }),
      destination: 'drive-a',
      key: '2020/01/IMG_0001.JPG',
      startedAt: 'T',
    });
    catalog.addPending({ ...resource('z'), destination: 'drive-a', key: '2020/01/IMG_0001 (2).JPG', startedAt: 'T' });
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001 (3).JPG');
  });

  it('hands a reserved key out once per run, and again after release', async () => {
    const first = await picker.pick(resource('a'));
    expect(await picker.pick(resource('b'))).not.toBe(first);
    picker.release(first);
    expect(await picker.pick(resource('c'))).toBe(first);
  });

  it('keeps keys apart per destination', async () => {
    record(resource('other'), '2020/01/IMG_0001.JPG');
    const onB = new KeyPicker(catalog, 'drive-b', new MemoryDestination(), LAYOUT);
    expect(await onB.pick(resource('a'))).toBe('2020/01/IMG_0001.JPG');
  });

  it('follows the destination layout', async () => {
    const p = new KeyPicker(catalog, 'drive-a', destination, '{album}/{name}');
    expect(await p.pick(resource('a', { albums: ['Trips/2019'] }))).toBe('Trips_2019/IMG_0001.JPG');
    expect(await p.pick(resource('b', { capturedAt: undefined }))).toBe('No Album/IMG_0001.JPG');
  });
});

describe('KeyPicker with a listing', () => {
  it('checks keys against the listing instead of asking the destination for each', async () => {
    await writeBuffer(destination, '2020/01/IMG_0001.JPG', Buffer.from('someone else'));
    await picker.listKeys();
    let stats = 0;
    const stat = destination.stat.bind(destination);
    destination.stat = async (key) => {
      stats++;
      return stat(key);
    };
    expect(await picker.pick(resource('a'))).toBe('2020/01/IMG_0001 (2).JPG');
    expect(await picker.pick(resource('b', { fileName: 'IMG_0002.JPG' }))).toBe('2020/01/IMG_0002.JPG');
    expect(stats).toBe(0);
  });

  it('leaves a key created after the listing to the write, which refuses to overwrite it', async () => {
    await picker.listKeys();
    await writeBuffer(destination, '2020/01/IMG_0001.JPG', Buffer.from('written meanwhile'));
    const key = await picker.pick(resource('a'));
    expect(key).toBe('2020/01/IMG_0001.JPG');
    await expect(writeBuffer(destination, key, Buffer.from('ours'))).rejects.toMatchObject({
      code: 'LIFEBOAT_ALREADY_EXISTS',
    });
  });

  it('keeps asking the destination when it holds more keys than the listing may keep', async () => {
    await writeBuffer(destination, '2020/01/IMG_0001.JPG', Buffer.from('x'));
    await writeBuffer(destination, '2020/01/IMG_0002.JPG', Buffer.from('x'));
    await picker.listKeys(1);
    await writeBuffer(destination, '2020/01/IMG_0003.JPG', Buffer.from('written after the listing'));
    expect(await picker.pick(resource('c', { fileName: 'IMG_0003.JPG' }))).toBe('2020/01/IMG_0003 (2).JPG');
  });
});
