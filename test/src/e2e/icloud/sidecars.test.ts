/**
 * Issue 17 against the simulated iCloud, through the built CLI: every copied resource gets a sidecar that ExifTool
 * reads back with the date, favourite and albums the simulator served; file times equal capture dates; a
 * favourite set in iCloud afterwards rewrites only the sidecars (the simulator's byte counters prove that nothing
 * was downloaded again).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetState } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, walkFiles } from '../cli.js';
import { exifInstant, exiftool } from '../sidecar-tools.js';
import {
  createIcloudWorld,
  expectedFiles,
  type IcloudWorld,
  type IndexEntry,
  listedStates,
  readIndex,
} from './icloud-world.js';

describe('sidecars of an iCloud library backed up with the CLI', () => {
  let world: IcloudWorld;
  let drive: string;
  let entries: IndexEntry[];
  const states = new Map<string, { index: number; state: AssetState }>();

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 24, seed: 17 }, drives: ['drive-a'] });
    drive = world.drives[0]!.path;
    await world.runOk();
    // The latest entry per key: an entry may be superseded by a later line (a rewritten sidecar, late albums).
    entries = [...new Map((await readIndex(drive)).map((e) => [e.key, e])).values()];
    const library = world.sim.library;
    for (let i = 0; i < library.size; i++)
      states.set(library.state(i).spec.masterId, { index: i, state: library.state(i) });
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
  });

  /** ExifTool's reading of every copy's sidecar, by copy key. */
  async function sidecars(): Promise<Map<string, Record<string, unknown>>> {
    const read = await exiftool(entries.map((e) => join(drive, `${e.key}.xmp`)));
    return new Map(entries.map((e, i) => [e.key, read[i]!]));
  }

  it('writes a sidecar beside every copied resource, and nothing else beside them', async () => {
    expect(entries.length).toBeGreaterThan(24);
    const files = await walkFiles(drive, { includeSidecars: true });
    expect(files.filter((f) => f.endsWith('.xmp')).sort()).toEqual(entries.map((e) => `${e.key}.xmp`).sort());
    expect(files.filter((f) => !f.endsWith('.xmp')).sort()).toEqual(entries.map((e) => e.key).sort());
    // The photos themselves are byte for byte what the simulator serves.
    const served = expectedFiles(world.sim.library, listedStates(world.sim.library)).map((f) => f.sha256);
    expect([...(await hashTree(drive)).values()].sort()).toEqual(served.sort());
  });

  it('ExifTool reads back the capture date, favourite, hidden flag and albums the simulator served', async () => {
    const read = await sidecars();
    let favourites = 0;
    let inAlbums = 0;
    for (const e of entries) {
      const { index, state } = states.get(e.assetId)!;
      const x = read.get(e.key)!;
      expect(exifInstant(x['XMP-exif:DateTimeOriginal']), e.key).toBe(Math.floor(state.spec.assetDate / 1000) * 1000);
      expect(x['XMP-xmp:Rating'], e.key).toBe(state.isFavorite ? 5 : undefined);
      expect(String(x['XMP-lifeboat:Hidden']).toLowerCase()).toBe(String(state.isHidden));
      // The simulator names an album in a folder `Folder/Album`; the tag is `Albums|Folder|Album` (or, from a
      // source that reports folders apart from names, the same levels): read as a path, it ends with that name.
      const albums = world.sim.library.albumNamesOf(index);
      const tags = [x['XMP-lr:HierarchicalSubject'] ?? []].flat().map((t) => String(t).replaceAll('|', '/'));
      expect(tags.length, e.key).toBe(albums.length);
      for (const album of albums) expect(tags.some((t) => t === `Albums/${album}`), `${e.key} ${album}`).toBe(true);
      expect([x['XMP-lifeboat:Albums'] ?? []].flat()).toEqual((e as IndexEntry & { albums: string[] }).albums);
      expect(x['XMP-lifeboat:Kind']).toBe(e.kind);
      if (state.isFavorite) favourites++;
      if (albums.length > 0) inAlbums++;
    }
    // The library has both, so the checks above checked something.
    expect(favourites).toBeGreaterThan(0);
    expect(inAlbums).toBeGreaterThan(0);
  });

  it("dates every copy by its capture: the file's modification time is the capture instant", async () => {
    for (const e of entries) {
      const { state } = states.get(e.assetId)!;
      expect((await stat(join(drive, e.key))).mtimeMs, e.key).toBe(Math.floor(state.spec.assetDate / 1000) * 1000);
    }
  });

  it('a favourite set in iCloud later rewrites only the sidecars: nothing is downloaded again', async () => {
    const target = entries.find((e) => !states.get(e.assetId)!.state.isFavorite && e.kind === 'original')!;
    const { index } = states.get(target.assetId)!;
    const copies = entries.filter((e) => e.assetId === target.assetId);
    const before = await Promise.all(copies.map((e) => stat(join(drive, e.key))));
    world.sim.library.setFlags({ indexes: [index] }, { favorite: true });
    world.sim.counters.reset();
    const report = await world.runOk();
    expect(report).toMatchObject({ ok: true, filesCopied: 0, bytesCopied: 0 });
    const counters = world.sim.counters.snapshot();
    expect(counters.totalBytes).toBe(0);
    expect(counters.totalDownloads).toBe(0);
    const after = await Promise.all(copies.map((e) => stat(join(drive, e.key))));
    expect(after.map((s) => [s.ino, s.ctimeMs])).toEqual(before.map((s) => [s.ino, s.ctimeMs]));
    const read = await exiftool(copies.map((e) => join(drive, `${e.key}.xmp`)));
    for (const x of read) expect(x['XMP-xmp:Rating']).toBe(5);
  });
});
