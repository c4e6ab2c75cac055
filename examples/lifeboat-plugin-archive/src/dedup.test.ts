import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunked, collect, pausedBody, randomBytes, sha256Hex, slowChunks } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveDestination } from './archive-destination.js';

let dir: string;
let archive: ArchiveDestination;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-dedup-'));
  archive = new ArchiveDestination({ root: join(dir, 'archive') });
  await archive.prepare();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const put = (key: string, data: Uint8Array, overwrite = false) =>
  archive.write(key, chunked(data), { size: data.length, overwrite });
const read = async (key: string) => collect(await archive.read(key));

/** sha256 names of every blob on disk. */
async function blobs(): Promise<string[]> {
  const root = join(archive.root, 'blobs');
  const names: string[] = [];
  for (const fanout of await readdir(root, { withFileTypes: true })) {
    if (!fanout.isDirectory()) continue;
    for (const name of await readdir(join(root, fanout.name))) if (/^[0-9a-f]{64}$/.test(name)) names.push(name);
  }
  return names.sort();
}

describe('deduplication', () => {
  it('stores two identical bodies written under different keys as one blob', async () => {
    const photo = randomBytes(50_000);
    await put('2019/05/IMG_0001.JPG', photo);
    await put('Albums/Best of 2019/IMG_0001.JPG', photo);
    expect(await blobs()).toEqual([sha256Hex(photo)]);
    expect(await read('2019/05/IMG_0001.JPG')).toEqual(photo);
    expect(await read('Albums/Best of 2019/IMG_0001.JPG')).toEqual(photo);
    expect((await archive.stat('Albums/Best of 2019/IMG_0001.JPG'))?.sha256).toBe(sha256Hex(photo));
  });

  it('stores one blob when identical bodies are written concurrently', async () => {
    const photo = randomBytes(40_000);
    const keys = Array.from({ length: 8 }, (_, i) => `copies/${i}.jpg`);
    await Promise.all(keys.map((key) => archive.write(key, slowChunks(photo, 4096), { size: photo.length })));
    expect(await blobs()).toEqual([sha256Hex(photo)]);
    for (const key of keys) expect(await read(key)).toEqual(photo);
  });

  it('heals a blob that rotted on the drive when the same content is backed up again', async () => {
    const photo = randomBytes(5000);
    await put('a.jpg', photo);
    const sha = sha256Hex(photo);
    const rotten = Buffer.from(photo);
    rotten[1234] = (rotten[1234] ?? 0) ^ 0xff;
    await writeFile(join(archive.root, 'blobs', sha.slice(0, 2), sha), rotten);
    await put('b.jpg', photo);
    expect(await blobs()).toEqual([sha]);
    expect(await read('a.jpg')).toEqual(photo);
  });

  it('keeps a shared blob when one of its keys is deleted', async () => {
    const photo = randomBytes(1000);
    await put('a.jpg', photo);
    await put('b.jpg', photo);
    await archive.delete('a.jpg');
    expect(await archive.gc()).toMatchObject({ removedBlobs: 0, keptBlobs: 1 });
    expect(await read('b.jpg')).toEqual(photo);
  });
});

describe('gc', () => {
  it('removes only the blobs no key references, and leaves foreign files alone', async () => {
    const [shared, replaced, replacement] = [randomBytes(3000), randomBytes(2000), randomBytes(1000)];
    await put('a.jpg', shared);
    await put('b.jpg', shared);
    await put('c.jpg', replaced);
    await put('c.jpg', replacement, true); // `replaced` is now referenced by no key
    await archive.delete('a.jpg'); // `shared` is still referenced by b.jpg
    await writeFile(join(archive.root, 'blobs', '.DS_Store'), 'finder');
    await mkdir(join(archive.root, 'blobs', 'zz'));
    await writeFile(join(archive.root, 'blobs', 'zz', 'notes.txt'), 'mine');

    expect(await archive.gc()).toEqual({ removedBlobs: 1, freedBytes: replaced.length, keptBlobs: 2 });
    expect(await blobs()).toEqual([sha256Hex(shared), sha256Hex(replacement)].sort());
    expect(await read('b.jpg')).toEqual(shared);
    expect(await read('c.jpg')).toEqual(replacement);
    expect(await readdir(join(archive.root, 'blobs', 'zz'))).toEqual(['notes.txt']);

    await archive.delete('b.jpg');
    expect(await archive.gc()).toEqual({ removedBlobs: 1, freedBytes: shared.length, keptBlobs: 1 });
    expect(await blobs()).toEqual([sha256Hex(replacement)]);
  });

  it('removes the blob of a write that lost a race for its key', async () => {
    const [a, b] = [randomBytes(30_000), randomBytes(30_001)];
    const results = await Promise.allSettled([
      archive.write('race.jpg', slowChunks(a), { size: a.length }),
      archive.write('race.jpg', slowChunks(b), { size: b.length }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await blobs()).toHaveLength(2); // the loser's bytes were stored before it lost
    expect(await archive.gc()).toMatchObject({ removedBlobs: 1, keptBlobs: 1 });
    expect(sha256Hex(await read('race.jpg'))).toBe((await blobs())[0]);
  });

  it('waits for writes in progress, so it never removes a blob a write is about to reference', async () => {
    const photo = randomBytes(100_000);
    await put('old.jpg', photo);
    await archive.delete('old.jpg'); // the blob is unreferenced, about to be reused by new.jpg
    const { body, paused, release } = pausedBody(photo);
    const writing = archive.write('new.jpg', body, { size: photo.length });
    await paused;
    let gcDone = false;
    const collecting = archive.gc().then((r) => {
      gcDone = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gcDone, 'gc finished while a write was in progress').toBe(false);
    release();
    await writing;
    expect(await collecting).toEqual({ removedBlobs: 0, freedBytes: 0, keptBlobs: 1 });
    expect(await read('new.jpg')).toEqual(photo);
  });
});
