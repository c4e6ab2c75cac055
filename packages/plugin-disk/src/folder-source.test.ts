import { mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Asset, type InstanceContext, NotFoundError, SourceUnavailableError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { FolderSource, FolderSourceFactory } from './folder-source.js';
import { toLocalIso } from './local-time.js';
import { buildCorruptExifJpeg, buildExifJpeg, Tag } from './test-helpers/exif-jpeg.js';
import { collect, readAll, useTempDir } from './test-helpers/fixtures.js';

const signal = new AbortController().signal;

async function put(root: string, relativePath: string, content: string | Buffer = 'x'): Promise<string> {
  const path = join(root, ...relativePath.split('/'));
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

const listIds = async (source: FolderSource) => (await collect(source.list({ signal }))).map((a) => a.id);

describe('FolderSource.list', () => {
  const dir = useTempDir();

  it('walks nested folders in a stable order, skipping hidden entries and non-media files', async () => {
    const root = dir();
    for (const path of ['b/2.JPG', 'a/1.heic', 'a/deep/er/3.mov', 'top.png', 'notes.txt', 'a/.hidden.jpg']) {
      await put(root, path);
    }
    await put(root, '.thumbnails/t.jpg');
    await put(root, 'no-extension');
    const source = new FolderSource({ root });
    expect(await listIds(source)).toEqual(['a/1.heic', 'a/deep/er/3.mov', 'b/2.JPG', 'top.png']);
    expect(await listIds(source)).toEqual(await listIds(source)); // ids are stable across calls
  });

  it("tells each file's sub-folder (Asset.folder), and none at the root", async () => {
    const root = dir();
    for (const path of ['Trip 2024/Day 1/IMG_0001.jpg', 'family/IMG_0001.jpg', 'top.jpg']) await put(root, path);
    const assets = await collect(new FolderSource({ root }).list({ signal }));
    expect(assets.map((a) => [a.fileName, a.folder])).toEqual([
      ['IMG_0001.jpg', 'Trip 2024/Day 1'],
      ['IMG_0001.jpg', 'family'],
      ['top.jpg', undefined],
    ]);
  });

  it('describes each file as an asset with one original resource', async () => {
    const root = dir();
    const path = await put(
      root,
      'trip/IMG_1.JPG',
      buildExifJpeg({ exif: { [Tag.DateTimeOriginal]: '2019:05:04 12:30:00' } }),
    );
    await utimes(path, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-02T03:04:05.678Z'));
    const [asset] = await collect(new FolderSource({ root }).list({ signal }));
    expect(asset).toMatchObject<Partial<Asset>>({
      id: 'trip/IMG_1.JPG',
      fileName: 'IMG_1.JPG',
      capturedAt: '2019-05-04T12:30:00',
      albums: [],
      favorite: false,
      hidden: false,
      metadata: { relativePath: 'trip/IMG_1.JPG' },
    });
    const size = (await readFile(path)).length;
    expect(asset?.resources).toEqual([
      {
        kind: 'original',
        fileName: 'IMG_1.JPG',
        size,
        version: `${size}-${Date.parse('2020-01-02T03:04:05.678Z')}`,
        locator: 'trip/IMG_1.JPG',
        mediaType: 'image/jpeg',
      },
    ]);
    expect(Date.parse(asset?.addedAt ?? '')).not.toBeNaN();
  });

  it('keeps the EXIF offset and camera in the asset', async () => {
    const root = dir();
    const exif = { [Tag.DateTimeOriginal]: '2019:05:04 12:30:00', [Tag.OffsetTimeOriginal]: '+02:00' };
    await put(root, 'a.jpg', buildExifJpeg({ ifd0: { [Tag.Make]: 'Apple', [Tag.Model]: 'iPhone 8' }, exif }));
    const [asset] = await collect(new FolderSource({ root }).list({ signal }));
    expect(asset?.capturedAt).toBe('2019-05-04T12:30:00+02:00');
    expect(asset?.metadata).toEqual({ relativePath: 'a.jpg', make: 'Apple', model: 'iPhone 8' });
  });

  it('falls back to the local mtime without EXIF, and tolerates corrupt EXIF', async () => {
    const root = dir();
    const mtime = new Date('2018-07-01T10:00:00Z');
    for (const [name, content] of [
      ['plain.jpg', 'no exif here'],
      ['corrupt.jpg', buildCorruptExifJpeg()],
      ['clip.mp4', 'video'],
    ] as const) {
      await utimes(await put(root, name, content), mtime, mtime);
    }
    const assets = await collect(new FolderSource({ root }).list({ signal }));
    expect(assets.map((a) => [a.id, a.capturedAt])).toEqual([
      ['clip.mp4', toLocalIso(mtime)],
      ['corrupt.jpg', toLocalIso(mtime)],
      ['plain.jpg', toLocalIso(mtime)],
    ]);
  });

  it('honours a custom include list, case-insensitively', async () => {
    const root = dir();
    await put(root, 'a.JPG');
    await put(root, 'b.xyz');
    await put(root, 'c.png');
    expect(await listIds(new FolderSource({ root, include: ['.XYZ', 'jpg'] }))).toEqual(['a.JPG', 'b.xyz']);
  });

  it('follows symlinks only when asked, and never loops', async () => {
    const root = join(dir(), 'photos');
    await put(root, 'real/a.jpg');
    await put(dir(), 'elsewhere/b.jpg');
    await symlink(join(dir(), 'elsewhere'), join(root, 'linked'));
    await symlink(join(dir(), 'elsewhere', 'b.jpg'), join(root, 'file-link.jpg'));
    await symlink(root, join(root, 'real', 'loop'));
    expect(await listIds(new FolderSource({ root }))).toEqual(['real/a.jpg']);
    expect(await listIds(new FolderSource({ root, followSymlinks: true }))).toEqual([
      'file-link.jpg',
      'linked/b.jpg',
      'real/a.jpg',
    ]);
  });

  it('throws SourceUnavailableError naming the path when the root is missing or not a folder', async () => {
    const missing = join(dir(), 'missing');
    await expect(collect(new FolderSource({ root: missing }).list({ signal }))).rejects.toThrow(SourceUnavailableError);
    await expect(collect(new FolderSource({ root: missing }).list({ signal }))).rejects.toThrow(missing);
    const file = await put(dir(), 'file.jpg');
    await expect(collect(new FolderSource({ root: file }).list({ signal }))).rejects.toThrow(/not a folder/);
  });

  it('stops listing on abort', async () => {
    const root = dir();
    await put(root, 'a.jpg');
    await expect(collect(new FolderSource({ root }).list({ signal: AbortSignal.abort() }))).rejects.toThrow();
  });
});

describe('FolderSource.open', () => {
  const dir = useTempDir();
  const handle = (locator: string) => ({
    assetId: locator,
    kind: 'original',
    version: 'v',
    fileName: 'x',
    size: 0,
    locator,
  });

  it('streams a file from an offset', async () => {
    const root = dir();
    await put(root, 'a/b.jpg', '0123456789');
    const source = new FolderSource({ root });
    expect((await readAll(await source.open(handle('a/b.jpg'), { signal }))).toString()).toBe('0123456789');
    expect((await readAll(await source.open(handle('a/b.jpg'), { signal, offset: 4 }))).toString()).toBe('456789');
  });

  it('throws NotFoundError for a file that is gone', async () => {
    const root = dir();
    const path = await put(root, 'a.jpg');
    await rm(path);
    await expect(new FolderSource({ root }).open(handle('a.jpg'), { signal })).rejects.toThrow(NotFoundError);
  });

  it('refuses locators that would leave the folder', async () => {
    const root = join(dir(), 'photos');
    await put(dir(), 'secret.txt');
    const source = new FolderSource({ root });
    for (const locator of ['../secret.txt', '/etc/passwd', 'a/../../secret.txt', '', 'a//b']) {
      await expect(source.open(handle(locator), { signal })).rejects.toThrow(NotFoundError);
    }
  });
});

describe('FolderSourceFactory', () => {
  it('expands ~ and applies defaults', async () => {
    const source = (await FolderSourceFactory.create({ path: '~/Pictures' }, {} as InstanceContext)) as FolderSource;
    expect(source.root).toBe(join(homedir(), 'Pictures'));
  });
});
