import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DestinationUnavailableError, InvalidKeyError, NotFoundError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { bodyOf, collect, preparedDestination, randomData, readAll, useTempDir } from './test-helpers/fixtures.js';

describe('DiskDestination reads', () => {
  const dir = useTempDir();

  it('returns exactly the requested range, fewer bytes only at the end', async () => {
    const destination = await preparedDestination(dir());
    const data = randomData(3 * 1024 * 1024);
    await destination.write('big.bin', bodyOf(data), { size: data.length });
    const range = async (offset?: number, length?: number) =>
      readAll(await destination.read('big.bin', { offset, length }));
    expect((await range(10, 20)).equals(data.subarray(10, 30))).toBe(true);
    expect((await range(0, 1)).equals(data.subarray(0, 1))).toBe(true);
    expect(
      (await range(1024 * 1024 - 1, 1024 * 1024 + 2)).equals(data.subarray(1024 * 1024 - 1, 2 * 1024 * 1024 + 1)),
    ).toBe(true);
    expect((await range(data.length - 5, 100)).equals(data.subarray(data.length - 5))).toBe(true);
    expect((await range(2 * 1024 * 1024)).equals(data.subarray(2 * 1024 * 1024))).toBe(true);
    expect(await range(5, 0)).toHaveLength(0);
    expect(await range(data.length + 10, 5)).toHaveLength(0);
  });

  it('throws NotFoundError for a missing key, and stat says undefined', async () => {
    const destination = await preparedDestination(dir());
    await expect(destination.read('nope.jpg')).rejects.toThrow(NotFoundError);
    await expect(destination.read('no/such/folder.jpg')).rejects.toThrow(NotFoundError);
    expect(await destination.stat('nope.jpg')).toBeUndefined();
    expect(await destination.stat('no/such/folder.jpg')).toBeUndefined();
  });

  it('treats folders as absent, not as objects', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('2019/05/a.jpg', bodyOf(Buffer.alloc(1)), { size: 1 });
    expect(await destination.stat('2019/05')).toBeUndefined();
    await expect(destination.read('2019/05')).rejects.toThrow(NotFoundError);
    await expect(destination.delete('2019/05')).resolves.toBeUndefined();
  });

  it('stops a read on abort', async () => {
    const destination = await preparedDestination(dir());
    const data = randomData(4 * 1024 * 1024);
    await destination.write('big.bin', bodyOf(data), { size: data.length });
    const controller = new AbortController();
    const body = await destination.read('big.bin', { signal: controller.signal });
    await expect(
      (async () => {
        for await (const _chunk of body) controller.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('deletes idempotently', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('a.jpg', bodyOf(Buffer.alloc(3)), { size: 3 });
    await destination.delete('a.jpg');
    await destination.delete('a.jpg');
    expect(await destination.stat('a.jpg')).toBeUndefined();
  });
});

describe('DiskDestination.list', () => {
  const dir = useTempDir();

  it('yields each of 1,000 keys exactly once, with sizes', async () => {
    const destination = await preparedDestination(dir());
    const keys = Array.from(
      { length: 1000 },
      (_, i) => `${2000 + (i % 7)}/${String(i % 12).padStart(2, '0')}/f${i}.jpg`,
    );
    // In batches: each write fsyncs twice, which is slow one at a time on some disks.
    for (let start = 0; start < keys.length; start += 100) {
      const batch = keys.slice(start, start + 100).map((key, j) => {
        const size = (start + j) % 5;
        return destination.write(key, bodyOf(Buffer.alloc(size)), { size });
      });
      await Promise.all(batch);
    }
    const listed = await collect(destination.list());
    expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
    expect(listed.find((o) => o.key === keys[3])?.size).toBe(3);
  });

  it('filters by prefix, including prefixes that end mid-name', async () => {
    const destination = await preparedDestination(dir());
    const keys = ['2019/05/a.jpg', '2019/05/b.jpg', '2019/06/a.jpg', '2019/050/x.jpg', '2020/01/a.jpg', 'top.txt'];
    for (const key of keys) await destination.write(key, bodyOf(Buffer.alloc(1)), { size: 1 });
    const list = async (prefix?: string) => (await collect(destination.list(prefix))).map((o) => o.key).sort();
    expect(await list('2019/05/')).toEqual(['2019/05/a.jpg', '2019/05/b.jpg']);
    expect(await list('2019/05')).toEqual(['2019/05/a.jpg', '2019/05/b.jpg', '2019/050/x.jpg']);
    expect(await list('2019/05/a')).toEqual(['2019/05/a.jpg']);
    expect(await list('20')).toEqual(keys.filter((k) => k.startsWith('20')).sort());
    expect(await list('t')).toEqual(['top.txt']);
    expect(await list('missing/')).toEqual([]);
    expect(await list('../')).toEqual([]);
    expect(await list()).toEqual([...keys].sort());
  });

  it('never lists temp files, but lists core objects under .lifeboat/', async () => {
    const destination = await preparedDestination(dir());
    await destination.write('.lifeboat/destination.json', bodyOf(Buffer.from('{}')), { size: 2 });
    await destination.write('.lifeboat/index/0001.jsonl', bodyOf(Buffer.from('x')), { size: 1 });
    await writeFile(join(destination.root, '.lifeboat', 'tmp', 'half-written.part'), 'partial');
    const keys = (await collect(destination.list())).map((o) => o.key).sort();
    expect(keys).toEqual(['.lifeboat/destination.json', '.lifeboat/index/0001.jsonl']);
    expect((await collect(destination.list('.lifeboat/'))).map((o) => o.key).sort()).toEqual(keys);
    expect(await collect(destination.list('.lifeboat/tmp/'))).toEqual([]);
  });

  it('skips symlinks (they could lead outside the root)', async () => {
    const destination = await preparedDestination(dir());
    await mkdir(join(dir(), 'outside'));
    await writeFile(join(dir(), 'outside', 'secret.txt'), 'secret');
    await symlink(join(dir(), 'outside'), join(destination.root, 'linked-folder'));
    await symlink(join(dir(), 'outside', 'secret.txt'), join(destination.root, 'linked-file.txt'));
    expect(await collect(destination.list())).toEqual([]);
    expect(await destination.stat('linked-file.txt')).toBeUndefined();
    await expect(destination.read('linked-file.txt')).rejects.toThrow(NotFoundError);
  });

  it('never goes through a linked folder: stat says absent, read, write and delete refuse naming the link', async () => {
    const destination = await preparedDestination(dir());
    await mkdir(join(dir(), 'outside', 'deeper'), { recursive: true });
    await writeFile(join(dir(), 'outside', 'deeper', 'secret.txt'), 'secret');
    await symlink(join(dir(), 'outside'), join(destination.root, '2019'));
    expect(await destination.stat('2019/deeper/secret.txt')).toBeUndefined();
    await expect(destination.read('2019/deeper/secret.txt')).rejects.toThrow(/symbolic link inside the destination/);
    await expect(destination.delete('2019/deeper/secret.txt')).rejects.toThrow(InvalidKeyError);
    const written = destination.write('2019/new/a.jpg', bodyOf(Buffer.from('a')), { size: 1 });
    await expect(written).rejects.toThrow(InvalidKeyError);
    const overwrite = destination.write('2019/deeper/secret.txt', bodyOf(Buffer.from('b')), {
      size: 1,
      overwrite: true,
    });
    await expect(overwrite).rejects.toThrow(InvalidKeyError);
    expect(await readdir(join(dir(), 'outside'))).toEqual(['deeper']);
    expect(await readFile(join(dir(), 'outside', 'deeper', 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('fails, rather than listing nothing, when the root is missing', async () => {
    const destination = await preparedDestination(dir());
    await rm(destination.root, { recursive: true });
    await expect(collect(destination.list())).rejects.toThrow(DestinationUnavailableError);
  });
});
