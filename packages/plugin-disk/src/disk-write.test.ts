import { AlreadyExistsError, IntegrityError, InvalidKeyError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import type { DiskDestination } from './disk-destination.js';
import {
  bodyOf,
  failingBody,
  preparedDestination,
  randomData,
  readAll,
  sha256,
  tempFiles,
  useTempDir,
} from './test-helpers/fixtures.js';

type WriteArgs = Parameters<DiskDestination['write']>;

describe('DiskDestination.write', () => {
  const dir = useTempDir();

  it.each([
    ['empty', 0],
    ['small', 1234],
    ['5 MB', 5 * 1024 * 1024 + 7],
  ])('round-trips a %s object', async (_name, size) => {
    const destination = await preparedDestination(dir());
    const data = randomData(size);
    const info = await destination.write('2019/05/photo.jpg', bodyOf(data), { size });
    expect(info).toMatchObject({ key: '2019/05/photo.jpg', size });
    expect(info.sha256).toBeUndefined(); // hashing is only done to check a given sha256
    expect(await destination.stat('2019/05/photo.jpg')).toMatchObject({ key: '2019/05/photo.jpg', size });
    expect(sha256(await readAll(await destination.read('2019/05/photo.jpg')))).toBe(sha256(data));
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('reports the sha256 it checked', async () => {
    const destination = await preparedDestination(dir());
    const data = randomData(1000);
    const info = await destination.write('a.jpg', bodyOf(data, 7), { size: 1000, sha256: sha256(data) });
    expect(info.sha256).toBe(sha256(data));
  });

  it('writes bodies of many tiny chunks and few huge ones alike', async () => {
    const destination = await preparedDestination(dir());
    const data = randomData(3 * 1024 * 1024 + 5);
    await destination.write('tiny.bin', bodyOf(data, 1000), { size: data.length });
    await destination.write('huge.bin', bodyOf(data, 2 * 1024 * 1024), { size: data.length });
    expect((await readAll(await destination.read('tiny.bin'))).equals(data)).toBe(true);
    expect((await readAll(await destination.read('huge.bin'))).equals(data)).toBe(true);
  });

  it('refuses to replace an existing object without overwrite, leaving it intact', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('k.jpg', bodyOf(Buffer.from('original')), { size: 8 });
    await expect(destination.write('k.jpg', bodyOf(Buffer.from('replacement')), { size: 11 })).rejects.toThrow(
      AlreadyExistsError,
    );
    expect((await readAll(await destination.read('k.jpg'))).toString()).toBe('original');
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('replaces an existing object with overwrite', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('k.jpg', bodyOf(Buffer.from('original')), { size: 8 });
    await destination.write('k.jpg', bodyOf(Buffer.from('replacement')), { size: 11, overwrite: true });
    expect((await readAll(await destination.read('k.jpg'))).toString()).toBe('replacement');
  });

  describe('leaves nothing visible, and an existing object untouched, when', () => {
    const failures: [string, (key: string) => WriteArgs][] = [
      ['the body throws midway', (key) => [key, failingBody(3 * 1024 * 1024), { size: 10 * 1024 * 1024 }]],
      ['the body is short', (key) => [key, bodyOf(Buffer.alloc(99)), { size: 100 }]],
      ['the body is long', (key) => [key, bodyOf(Buffer.alloc(101)), { size: 100 }]],
      ['the sha256 does not match', (key) => [key, bodyOf(Buffer.alloc(100)), { size: 100, sha256: 'ab'.repeat(32) }]],
    ];

    it.each(failures)('%s (new key)', async (_name, args) => {
      const destination = await preparedDestination(dir());
      await expect(destination.write(...args('2019/new.jpg'))).rejects.toThrow();
      expect(await destination.stat('2019/new.jpg')).toBeUndefined();
      expect(await tempFiles(destination.root)).toEqual([]);
    });

    it.each(failures)('%s (overwriting)', async (_name, args) => {
      const destination = await preparedDestination(dir());
      await destination.write('old.jpg', bodyOf(Buffer.from('keep me')), { size: 7 });
      const [key, body, options] = args('old.jpg');
      await expect(destination.write(key, body, { ...options, overwrite: true })).rejects.toThrow();
      expect((await readAll(await destination.read('old.jpg'))).toString()).toBe('keep me');
      expect(await tempFiles(destination.root)).toEqual([]);
    });
  });

  it('classifies size and hash failures as IntegrityError', async () => {
    const destination = await preparedDestination(dir());
    await expect(destination.write('a', bodyOf(Buffer.alloc(9)), { size: 10 })).rejects.toThrow(IntegrityError);
    await expect(destination.write('a', bodyOf(Buffer.alloc(11)), { size: 10 })).rejects.toThrow(IntegrityError);
    const wrongHash = { size: 10, sha256: sha256(Buffer.alloc(10, 1)) };
    await expect(destination.write('a', bodyOf(Buffer.alloc(10)), wrongHash)).rejects.toThrow(IntegrityError);
  });

  it('stops on abort, even while the body is stalled, leaving nothing', async () => {
    const destination = await preparedDestination(dir());
    const controller = new AbortController();
    async function* stalled() {
      yield Buffer.alloc(1000);
      controller.abort();
      await new Promise(() => {}); // never yields again
    }
    const write = destination.write('a.jpg', stalled(), { size: 5000, signal: controller.signal });
    await expect(write).rejects.toMatchObject({ name: 'AbortError' });
    expect(await destination.stat('a.jpg')).toBeUndefined();
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('stops when aborted from outside while the body waits for data', async () => {
    const destination = await preparedDestination(dir());
    const controller = new AbortController();
    async function* waiting() {
      yield Buffer.alloc(1000);
      await new Promise(() => {}); // a network stream that went quiet
    }
    setTimeout(() => controller.abort(), 20);
    const write = destination.write('a.jpg', waiting(), { size: 5000, signal: controller.signal });
    await expect(write).rejects.toMatchObject({ name: 'AbortError' });
    expect(await destination.stat('a.jpg')).toBeUndefined();
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('does not start when the signal is already aborted', async () => {
    const destination = await preparedDestination(dir());
    const signal = AbortSignal.abort();
    await expect(destination.write('a.jpg', bodyOf(Buffer.alloc(1)), { size: 1, signal })).rejects.toThrow();
    expect(await destination.stat('a.jpg')).toBeUndefined();
  });

  it('stores keys with Unicode, spaces, long names and deep nesting', async () => {
    const destination = await preparedDestination(dir());
    const keys = [
      'Été 2019/plage à Nice.heic',
      'with space/and  two spaces.jpg',
      '日本/写真 🎉.jpg',
      `${'n'.repeat(200)}.jpg`,
      'a/b/c/d/e/f/g.jpg',
    ];
    for (const key of keys) await destination.write(key, bodyOf(Buffer.from(key)), { size: Buffer.byteLength(key) });
    for (const key of keys) expect((await readAll(await destination.read(key))).toString()).toBe(key);
  });

  it('turns a name too long for the file system into InvalidKeyError, leaving nothing', async () => {
    const destination = await preparedDestination(dir());
    const key = `${'n'.repeat(300)}.jpg`; // over the usual 255-byte limit
    await expect(destination.write(key, bodyOf(Buffer.alloc(1)), { size: 1 })).rejects.toThrow(InvalidKeyError);
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('rejects invalid keys before touching the disk', async () => {
    const destination = await preparedDestination(dir());
    for (const key of ['../escape.jpg', '/abs.jpg', 'a//b', 'a\\b', '.lifeboat/tmp/x']) {
      await expect(destination.write(key, bodyOf(Buffer.alloc(1)), { size: 1 })).rejects.toThrow(InvalidKeyError);
    }
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('refuses a key that clashes with a folder or passes through a file', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('a/b.jpg', bodyOf(Buffer.alloc(1)), { size: 1 });
    await expect(destination.write('a', bodyOf(Buffer.alloc(1)), { size: 1 })).rejects.toThrow(InvalidKeyError);
    await expect(destination.write('a/b.jpg/c', bodyOf(Buffer.alloc(1)), { size: 1 })).rejects.toThrow(InvalidKeyError);
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('writes 20 keys concurrently', async () => {
    const destination = await preparedDestination(dir());
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `c/${i % 3}/k${i}.bin`, data: randomData(50_000 + i) }));
    await Promise.all(items.map(({ key, data }) => destination.write(key, bodyOf(data, 4096), { size: data.length })));
    for (const { key, data } of items) expect((await readAll(await destination.read(key))).equals(data)).toBe(true);
    expect(await tempFiles(destination.root)).toEqual([]);
  });

  it('lets exactly one of two concurrent writers of the same key win', async () => {
    const destination = await preparedDestination(dir());
    const results = await Promise.allSettled(
      ['one', 'two'].map((text) => destination.write('same.txt', bodyOf(Buffer.from(text)), { size: 3 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(AlreadyExistsError);
  });
});
