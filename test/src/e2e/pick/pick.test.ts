/**
 * `restore --from <icloud source>` with the built CLI against the simulated iCloud, with no plan and no destination:
 * exactly the asked-for assets arrive (with their Live videos), byte-identical to what the simulator serves, dated
 * by their capture time, each with an XMP sidecar ExifTool reads; each filter picks exactly its assets.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, walkFiles } from '../cli.js';
import { expectedFiles } from '../icloud/icloud-world.js';
import { exifInstant, exiftool } from '../sidecar-tools.js';
import { createPickWorld, listed, type PickReport, type PickWorld } from './pick-world.js';

let world: PickWorld;
beforeAll(async () => {
  world = await createPickWorld({ assets: 40, seed: 18 });
});
afterAll(() => world?.cleanup());

const pairs = (files: { assetId: string; kind: string }[]) => files.map((f) => `${f.assetId} ${f.kind}`).sort();

async function pickJson(args: string[]): Promise<PickReport> {
  const result = await world.cli(['restore', '--from', world.source, ...args, '--json']);
  expect(result.code, result.describe()).toBe(0);
  return result.json<PickReport>();
}

describe('restore --from <icloud source>', () => {
  it('--album Family brings exactly that album, Live videos included, byte-identical and dated by capture', async () => {
    const { sim } = world;
    const family = listed(sim.library).filter((s) => sim.library.albumNamesOf(s.index).includes('Family'));
    const expected = expectedFiles(sim.library, family);
    expect(family.length).toBeGreaterThan(2);
    expect(expected.some((f) => f.kind === 'live-video')).toBe(true);
    const to = join(world.root, 'family');
    const report = await pickJson(['--album', 'Family', '--to', to]);
    expect(report.ok).toBe(true);
    expect(report.matchedAssets).toBe(family.length);
    expect(pairs(report.files)).toEqual(pairs(expected));
    const tree = await hashTree(to);
    expect(tree.size).toBe(expected.length);
    for (const file of report.files) {
      const want = expected.find((e) => e.assetId === file.assetId && e.kind === file.kind)!;
      expect(tree.get(file.key), file.key).toBe(want.sha256);
      const state = family.find((s) => s.spec.masterId === file.assetId)!;
      const { mtimeMs } = await stat(join(to, file.key));
      expect(Math.abs(mtimeMs - state.spec.assetDate), file.key).toBeLessThan(1000);
    }
    // Again into the same folder: nothing is downloaded or overwritten.
    sim.counters.reset();
    const again = await pickJson(['--album', 'Family', '--to', to]);
    expect(again.alreadyPresent).toBe(expected.length);
    expect(again.filesPicked).toBe(0);
    expect([again.sidecarsWritten, again.sidecarsPresent]).toEqual([0, expected.length]);
    expect(sim.counters.snapshot().totalDownloads).toBe(0);
  }, 120_000);

  it('--favorites brings the favourites alone (originals only with --include none)', async () => {
    const { sim } = world;
    const favourites = listed(sim.library).filter((s) => s.isFavorite);
    expect(favourites.length).toBeGreaterThan(0);
    const expected = expectedFiles(sim.library, favourites).filter((f) => f.kind === 'original');
    const to = join(world.root, 'favourites');
    const report = await pickJson(['--favorites', '--include', 'none', '--to', to]);
    expect(pairs(report.files)).toEqual(pairs(expected));
    expect([...(await hashTree(to)).values()].sort()).toEqual(expected.map((f) => f.sha256).sort());
  }, 60_000);

  it('--kind video and --kind live bring exactly those; --kind photo leaves the videos out', async () => {
    const { sim } = world;
    const all = listed(sim.library);
    const videos = all.filter((s) => s.spec.kind === 'video');
    const lives = all.filter((s) => s.spec.kind === 'live');
    expect(videos.length).toBeGreaterThan(0);
    expect(lives.length).toBeGreaterThan(0);
    const to = join(world.root, 'videos');
    const report = await pickJson(['--kind', 'video', '--to', to]);
    expect(pairs(report.files)).toEqual(pairs(expectedFiles(sim.library, videos)));
    expect([...(await hashTree(to)).values()].sort()).toEqual(
      expectedFiles(sim.library, videos)
        .map((f) => f.sha256)
        .sort(),
    );
    const live = await pickJson(['--kind', 'live', '--dry-run', '--to', join(world.root, 'live')]);
    expect(pairs(live.files)).toEqual(pairs(expectedFiles(sim.library, lives)));
    const photos = await pickJson(['--kind', 'photo', '--dry-run', '--to', join(world.root, 'photos')]);
    expect(photos.matchedAssets).toBe(all.length - videos.length);
  }, 60_000);

  it('--since/--until keep the capture days asked (wall clock); --dry-run lists them and their size, downloads nothing', async () => {
    const { sim } = world;
    const day = (s: (typeof all)[number]) =>
      new Date(s.spec.assetDate + s.spec.timeZoneOffset * 1000).toISOString().slice(0, 10);
    const all = listed(sim.library);
    const days = [...new Set(all.map(day))].sort();
    expect(days.length).toBeGreaterThan(1);
    const wanted = all.filter((s) => day(s) === days[1]);
    const expected = expectedFiles(sim.library, wanted);
    sim.counters.reset();
    const to = join(world.root, 'one-day');
    const result = await world.cli([
      'restore',
      '--from',
      world.source,
      '--since',
      days[1]!,
      '--until',
      days[1]!,
      '--to',
      to,
      '--dry-run',
    ]);
    expect(result.code, result.describe()).toBe(0);
    const size = expected.reduce((s, f) => s + f.size, 0);
    expect(result.stdout).toContain(`Dry run: ${expected.length} files`);
    expect(result.stdout.trim().split('\n')).toHaveLength(expected.length + 1);
    const report = await pickJson(['--since', days[1]!, '--until', days[1]!, '--to', to, '--dry-run']);
    expect(report.matchedBytes).toBe(size);
    expect(pairs(report.files)).toEqual(pairs(expected));
    expect(sim.counters.snapshot().totalDownloads).toBe(0);
    await expect(stat(to)).rejects.toThrow();
  }, 60_000);

  it('writes an XMP sidecar beside each picked file that ExifTool reads: date, rating, albums; none with --sidecars none', async () => {
    const { sim } = world;
    const all = listed(sim.library);
    const to = join(world.root, 'with-sidecars');
    const dry = await pickJson(['--include', 'none', '--to', to, '--dry-run']);
    expect([dry.matched, dry.sidecarsMatched, dry.sidecarsWritten]).toEqual([all.length, all.length, 0]);
    const report = await pickJson(['--include', 'none', '--to', to]);
    expect(report).toMatchObject({ ok: true, filesPicked: all.length, sidecars: 'xmp', sidecarsWritten: all.length });
    // Sidecars are not photos: the photo counts and the folder's photos are what they were without them.
    expect(report.matched).toBe(all.length);
    const files = await walkFiles(to, { includeSidecars: true });
    expect(files.filter((f) => f.endsWith('.xmp')).sort()).toEqual(report.files.map((f) => `${f.key}.xmp`).sort());
    expect(report.files.map((f) => f.sidecar)).toEqual(report.files.map((f) => `${f.key}.xmp`));
    const read = await exiftool(report.files.map((f) => join(to, f.sidecar!)));
    let favourites = 0;
    let inAlbums = 0;
    report.files.forEach((file, i) => {
      const state = all.find((s) => s.spec.masterId === file.assetId)!;
      const x = read[i]!;
      expect(exifInstant(x['XMP-exif:DateTimeOriginal']), file.key).toBe(
        Math.floor(state.spec.assetDate / 1000) * 1000,
      );
      expect(x['XMP-xmp:Rating'], file.key).toBe(state.isFavorite ? 5 : undefined);
      const albums = sim.library.albumNamesOf(state.index);
      const tags = [x['XMP-lr:HierarchicalSubject'] ?? []].flat().map((t) => String(t).replaceAll('|', '/'));
      expect(tags.sort(), file.key).toEqual(albums.map((a) => `Albums/${a}`).sort());
      if (state.isFavorite) favourites++;
      if (albums.length > 0) inAlbums++;
    });
    expect(favourites).toBeGreaterThan(0);
    expect(inAlbums).toBeGreaterThan(0);

    const bare = join(world.root, 'no-sidecars');
    const none = await pickJson(['--include', 'none', '--kind', 'video', '--sidecars', 'none', '--to', bare]);
    expect(none).toMatchObject({ ok: true, sidecars: 'none', sidecarsMatched: 0, sidecarsWritten: 0 });
    expect(none.filesPicked).toBeGreaterThan(0);
    expect((await walkFiles(bare, { includeSidecars: true })).filter((f) => f.endsWith('.xmp'))).toEqual([]);
    const wrong = await world.cli(['restore', '--from', world.source, '--sidecars', 'json', '--to', bare]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--sidecars xmp');
  }, 120_000);

  it('refuses a filter that is wrong, saying what to write', async () => {
    const result = await world.cli([
      'restore',
      '--from',
      world.source,
      '--kind',
      'selfie',
      '--to',
      join(world.root, 'x'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--kind selfie.*\n?.*photo/);
    const include = await world.cli([
      'restore',
      '--from',
      world.source,
      '--include',
      'thumbnails',
      '--to',
      join(world.root, 'x'),
    ]);
    expect(include.code).toBe(2);
    expect(include.stderr).toContain('liveVideos, raw, edited');
    // A backup folder is read through its own index: the filters only a source can answer are refused, saying so.
    const fromFolder = await world.cli(['restore', '--from', world.root, '--favorites', '--to', join(world.root, 'x')]);
    expect(fromFolder.code).toBe(2);
    expect(fromFolder.stderr).toContain('--favorites works only with --from <source>');
  });
});
