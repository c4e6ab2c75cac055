/**
 * Issue 17, albums on disk: a drive with `albumView=true` shows the copies by album in `Albums/<Folder>/<Album>/`
 * as hard links (the same inode as the dated copy, so no extra space), kept in step when a photo leaves an album
 * in iCloud (its link goes, its copy stays); `restore --album Family` restores exactly that album's files.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, makeTempDir, removeDir, walkFiles } from '../cli.js';
import { createIcloudWorld, type IcloudWorld, readIndex } from './icloud-world.js';

interface Entry {
  key: string;
  assetId: string;
  kind: string;
  sha256: string;
  copiedAt: string;
  albums: string[];
  albumFolders?: Record<string, string>;
  sidecar?: { key: string };
}

/** The index as a reader keeps it: the latest entry per key. */
async function latestIndex(drive: string): Promise<Entry[]> {
  const byKey = new Map<string, Entry>();
  for (const e of (await readIndex(drive)) as unknown as Entry[]) byKey.set(e.key, e);
  return [...byKey.values()];
}

const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);
const albumDir = (e: Entry, album: string) =>
  ['Albums', ...(e.albumFolders?.[album]?.split('/') ?? []), album].join('/');

describe('album views on a disk drive', () => {
  let world: IcloudWorld;
  let drive: string;
  let index: Entry[];
  let firstMaster: string;

  beforeAll(async () => {
    world = await createIcloudWorld({
      sim: { assets: 40, seed: 5, sharedAssets: 0, sizeScale: 0.05 },
      drives: ['drive-a'],
    });
    drive = world.drives[0]!.path;
    firstMaster = world.sim.library.summary(0).masterId;
    const set = await world.cli(['destination', 'set', 'drive-a', '--set', 'albumView=true']);
    expect(set.code, set.describe()).toBe(0);
    const report = await world.runOk();
    expect(report.failures).toEqual([]);
    index = await latestIndex(drive);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it("links every copy of an album photo into its album folder, sharing the copy's inode", async () => {
    const inAlbums = index.filter((e) => e.albums.length > 0);
    expect(inAlbums.length).toBeGreaterThan(5);
    // The first photo is in every album, Paris and Tokyo inside the folder Trips.
    const first = index.find((e) => e.assetId === firstMaster && e.kind === 'original')!;
    expect(first.albumFolders).toEqual({ Paris: 'Trips', Tokyo: 'Trips' });
    let links = 0;
    for (const e of inAlbums) {
      const copy = await stat(join(drive, e.key));
      for (const album of e.albums) {
        const link = join(drive, albumDir(e, album), baseName(e.key));
        const linked = await stat(link);
        expect(linked.ino, link).toBe(copy.ino);
        expect(linked.dev).toBe(copy.dev);
        links++;
      }
    }
    expect(existsSync(join(drive, 'Albums', 'Trips', 'Paris', baseName(first.key)))).toBe(true);
    // Every file under Albums/ is one of those links, and none is a copy of its own in the index.
    const albumFiles = (await walkFiles(drive)).filter((f) => f.startsWith('Albums/') && !f.endsWith('.xmp'));
    expect(albumFiles.length).toBe(links);
    expect(index.some((e) => e.key.startsWith('Albums/'))).toBe(false);
  });

  it('removes the link of a photo taken out of an album, and never its copy', async () => {
    const first = index.filter((e) => e.assetId === firstMaster);
    expect(first.length).toBeGreaterThan(0);
    const keptCopies = await hashTree(drive);
    // Without sidecars no sidecar rewrite re-indexes the photo: the index (and so the view) must follow anyway.
    const off = await world.cli(['destination', 'set', 'drive-a', '--set', 'sidecars=none']);
    expect(off.code, off.describe()).toBe(0);
    world.sim.library.setAlbum({ indexes: [0] }, 'Family', false);
    const report = await world.runOk();
    expect(report.failures).toEqual([]);
    expect(report.filesCopied).toBe(0);
    for (const e of first) {
      expect(existsSync(join(drive, 'Albums', 'Family', baseName(e.key))), e.key).toBe(false);
      expect(existsSync(join(drive, 'Albums', 'Holidays', baseName(e.key))), e.key).toBe(true);
      expect(existsSync(join(drive, e.key)), e.key).toBe(true);
    }
    // Every copy is still there with the same bytes (only album names changed).
    const now = await hashTree(drive);
    for (const e of index) expect(now.get(e.key), e.key).toBe(keptCopies.get(e.key));
    // The other Family photos keep their links.
    const family = (await latestIndex(drive)).filter((e) => e.albums.includes('Family'));
    expect(family.length).toBeGreaterThan(0);
    for (const e of family) expect(existsSync(join(drive, 'Albums', 'Family', baseName(e.key))), e.key).toBe(true);
  }, 120_000);

  it("`restore --album Family` restores exactly that album's files, with their sidecars", async () => {
    const to = await makeTempDir('lifeboat-album-restore-');
    try {
      const result = await world.cli(['restore', '--from', 'drive-a', '--to', to, '--album', 'Family', '--json']);
      expect(result.code, result.describe()).toBe(0);
      const family = (await latestIndex(drive)).filter((e) => e.albums.includes('Family'));
      expect(family.some((e) => e.assetId === firstMaster)).toBe(false); // taken out above
      const restored = await hashTree(to, { includeSidecars: true });
      const photos = [...restored.keys()].filter((k) => !k.endsWith('.xmp')).sort();
      expect(photos).toEqual(family.map((e) => e.key).sort());
      for (const e of family) {
        expect(restored.get(e.key), e.key).toBe(e.sha256);
        if (e.sidecar) expect(restored.has(e.sidecar.key), e.sidecar.key).toBe(true);
      }
      // An album inside a folder, by its path.
      const paris = await world.cli(['restore', '--from', 'drive-a', '--to', join(to, 'p'), '--album', 'Trips/Paris']);
      expect(paris.code, paris.describe()).toBe(0);
      const inParis = (await latestIndex(drive)).filter((e) => e.albums.includes('Paris'));
      const parisFiles = (await walkFiles(join(to, 'p'))).filter((k) => !k.endsWith('.xmp'));
      expect(parisFiles.sort()).toEqual(inParis.map((e) => e.key).sort());
    } finally {
      await removeDir(to);
    }
  }, 120_000);
});
