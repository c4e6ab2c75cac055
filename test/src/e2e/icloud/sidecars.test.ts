/**
 * Issue 17 against the simulated iCloud, through the built CLI: every copied resource gets a sidecar that ExifTool
 * reads back with the date (and its offset), favourite, albums, caption, keywords and place the simulator's control
 * API says it served, and none of these where it served none; file times equal capture dates; a
 * favourite set in iCloud afterwards rewrites only the sidecars (the simulator's byte counters prove that nothing
 * was downloaded again).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetState, AssetSummary } from '@lifeboat/icloud-sim';
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
  /** What the control API says each asset is, by master id (the client's asset id), as served. */
  const served = new Map<string, AssetSummary>();

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 24, seed: 17 }, drives: ['drive-a'] });
    drive = world.drives[0]!.path;
    // The generated library gives the first asset all four descriptive fields and a few others a caption or
    // keywords; three more get the hard cases: XML's special characters, a newline, a keyword that looks like a
    // number, a place just west of Greenwich (0° W: a sign bug shows there) and one south and west, below sea level.
    const [, a, b, c] = listedStates(world.sim.library).map((s) => s.index);
    await control('describe', {
      indexes: [a],
      caption: 'Fish & chips <3 "Joe\'s" 🐟',
      keywords: ['R&D', '<b>bold</b>', 'Ünïcødé', 'a|b/c'],
      location: { latitude: 51.4779, longitude: -0.0015, altitude: -3.25 },
      timeZoneName: 'Europe/London',
    });
    await control('describe', {
      indexes: [b],
      caption: 'Line one\nline two',
      keywords: ['beach'],
      location: { latitude: -0.2201, longitude: -78.5123, altitude: 2850.125 },
    });
    await control('describe', { indexes: [c], caption: 'Tokyo', keywords: ['2024'], location: null });
    await world.runOk();
    const { assets } = (await (await fetch(`${world.sim.controlUrl}/assets?limit=1000`)).json()) as {
      assets: AssetSummary[];
    };
    for (const a of assets) served.set(a.masterId, a);
    // The latest entry per key: an entry may be superseded by a later line (a rewritten sidecar, late albums).
    entries = [...new Map((await readIndex(drive)).map((e) => [e.key, e])).values()];
    const library = world.sim.library;
    for (let i = 0; i < library.size; i++)
      states.set(library.state(i).spec.masterId, { index: i, state: library.state(i) });
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
  });

  async function control(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${world.sim.controlUrl}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  }

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
      for (const album of albums)
        expect(
          tags.some((t) => t === `Albums/${album}`),
          `${e.key} ${album}`,
        ).toBe(true);
      expect([x['XMP-lifeboat:Albums'] ?? []].flat()).toEqual((e as IndexEntry & { albums: string[] }).albums);
      expect(x['XMP-lifeboat:Kind']).toBe(e.kind);
      if (state.isFavorite) favourites++;
      if (albums.length > 0) inAlbums++;
    }
    // The library has both, so the checks above checked something.
    expect(favourites).toBeGreaterThan(0);
    expect(inAlbums).toBeGreaterThan(0);
  });

  it('ExifTool reads back the caption, keywords, place and capture offset served, and none where none was', async () => {
    const read = await sidecars();
    const seen = { caption: new Set<string>(), keywords: new Set<string>(), location: new Set<string>() };
    let zoneNamed = 0;
    for (const e of entries) {
      const want = served.get(e.assetId)!;
      const x = read.get(e.key)!;
      expect(x['XMP-dc:Description'], e.key).toBe(want.caption);
      const subjects = x['XMP-dc:Subject'] === undefined ? [] : [x['XMP-dc:Subject']].flat().map(String);
      expect(subjects, e.key).toEqual(want.keywords ?? []);
      if (want.location) {
        const { latitude, longitude, altitude } = want.location;
        expect(x['XMP-exif:GPSLatitude'], e.key).toBeCloseTo(latitude, 6);
        expect(x['XMP-exif:GPSLongitude'], e.key).toBeCloseTo(longitude, 6);
        const sign = x['XMP-exif:GPSAltitudeRef'] === 1 ? -1 : 1;
        expect(sign * Number(x['XMP-exif:GPSAltitude']), e.key).toBeCloseTo(altitude, 3);
      } else {
        const gps = Object.keys(x).filter((k) => k.startsWith('XMP-exif:GPS'));
        expect(gps, e.key).toEqual([]);
      }
      // The capture's wall clock with the offset iCloud gave (timeZoneOffset), in both date fields.
      const offset = want.timeZoneOffset;
      const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 3600)).padStart(2, '0')}:${String((Math.abs(offset) % 3600) / 60).padStart(2, '0')}`;
      for (const tag of ['XMP-exif:DateTimeOriginal', 'XMP-photoshop:DateCreated']) {
        expect(String(x[tag]).slice(-6), `${e.key} ${tag}`).toBe(zone);
        expect(exifInstant(x[tag]), `${e.key} ${tag}`).toBe(Math.floor(want.assetDate / 1000) * 1000);
      }
      if (want.caption) seen.caption.add(e.assetId);
      if (want.keywords) seen.keywords.add(e.assetId);
      if (want.location) seen.location.add(e.assetId);
      if (want.timeZoneName) zoneNamed++;
    }
    // Several assets carry each field (so the comparisons compared something), and some carry none.
    expect(seen.caption.size).toBeGreaterThanOrEqual(4);
    expect(seen.keywords.size).toBeGreaterThanOrEqual(4);
    expect(seen.location.size).toBeGreaterThanOrEqual(4);
    expect(zoneNamed).toBeGreaterThan(0);
    expect(entries.some((e) => !served.get(e.assetId)!.location)).toBe(true);
    expect(entries.some((e) => !served.get(e.assetId)!.caption)).toBe(true);
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
