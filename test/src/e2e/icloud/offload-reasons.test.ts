/**
 * Issue 19: every reason `lifeboat offload` keeps a photo, end to end through the built CLI against the simulated
 * iCloud (two drives on one medium and an offsite drive, all verified): too recent, favourite, in a kept album,
 * a resource without a copy, copies short of 3-2-1 (a Live Photo's video with no offsite copy), copies never read
 * back or read back too long ago, a destination unreachable.
 * Dry runs only: the simulator's counters prove nothing was sent.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcloudWorld, type IcloudWorld, listedStates, readIndex } from './icloud-world.js';
import { backUpWithOffsiteVault } from './offload-world.js';

interface OffloadJson {
  wouldMove: number;
  keptByReason: Record<string, number>;
  assets: { assetId: string; move: boolean; reasons: string[] }[];
}

describe('offload keeps a photo, and says why, for each reason', () => {
  let world: IcloudWorld;
  let vault: string;
  let total: number;
  const modifies = () => world.sim.counters.requests('ck private records/modify');
  const dryRun = async (...args: string[]) => {
    const result = await world.cli(['offload', world.source, '--json', ...args]);
    expect(result.code, result.describe()).toBe(0);
    return result.json<OffloadJson>();
  };
  const reasonsOf = (report: OffloadJson, assetId: string) => report.assets.find((a) => a.assetId === assetId)?.reasons;
  const idOf = (index: number) => world.sim.library.state(index).spec.masterId;

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 8, seed: 31 } });
    world.sim.library.setFlags({ indexes: [1] }, { favorite: true });
    vault = await backUpWithOffsiteVault(world);
    total = (await dryRun()).assets.length;
  }, 120_000);
  afterAll(() => world?.cleanup());

  it('with every copy in place and fresh, all may move; the keep filters each keep their photos', async () => {
    const before = modifies();
    const all = await dryRun();
    expect(all.wouldMove).toBe(total);

    const recent = await dryRun('--older-than', '36500d');
    expect(recent.wouldMove).toBe(0);
    expect(recent.keptByReason['too-recent']).toBe(total);

    const favourite = await dryRun('--keep-favorites');
    expect(reasonsOf(favourite, idOf(1))).toEqual(['favorite']);
    const favourites = listedStates(world.sim.library).filter((state) => state.isFavorite).length;
    expect(favourites).toBeGreaterThanOrEqual(1);
    expect(favourite.keptByReason.favorite).toBe(favourites);

    const album = world.sim.library.albumNamesOf(2)[0];
    expect(album, 'seed 31 puts asset 2 in an album').toBeDefined();
    const inAlbum = await dryRun('--keep-album', album!);
    expect(reasonsOf(inAlbum, idOf(2))).toEqual(['kept-album']);
    expect(inAlbum.wouldMove).toBe(total - inAlbum.keptByReason['kept-album']!);
    expect(modifies()).toBe(before);
  });

  it('copies short of 3-2-1, verified too long ago, or on an unreachable destination keep everything', async () => {
    const before = modifies();
    const strict = await dryRun('--min-copies', '4');
    expect(strict.keptByReason['not-321']).toBe(total);

    const stale = await dryRun('--verified-within', '0.001s');
    expect(stale.keptByReason['verified-too-long-ago']).toBe(total);

    const away = `${vault}-unplugged`;
    await rename(vault, away);
    try {
      const cli = await world.cli(['offload', world.source]);
      expect(cli.code, cli.describe()).toBe(0);
      expect(cli.stderr).toContain('Destination vault is unreachable');
      expect(cli.stdout).toMatch(new RegExp(`${total}\\s+a destination holding the copies is unreachable`));
    } finally {
      await rename(away, vault);
    }
    expect(modifies()).toBe(before);
  });

  it('a photo whose files were never copied is kept for a resource without a copy', async () => {
    const [added] = world.sim.library.add(1);
    // The backup lists the new photo (the catalog knows it) but every download of it arrives cut short.
    world.sim.faults.truncateDownloads = 1000;
    try {
      const run = await world.cli(['run', 'main', '--json']);
      expect(run.code).not.toBe(0);
    } finally {
      world.sim.faults.truncateDownloads = 0;
    }
    const report = await dryRun();
    expect(reasonsOf(report, idOf(added!))).toEqual(['resource-without-copy']);
    expect(report.wouldMove).toBe(total);
  });

  it('a photo whose copies were never read back is kept until verify reads them', async () => {
    const [added] = world.sim.library.add(1);
    const id = idOf(added!);
    for (const plan of ['main', 'offsite']) {
      const run = await world.cli(['run', plan]);
      expect(run.code, run.describe()).toBe(0);
    }
    expect(reasonsOf(await dryRun(), id)).toEqual(['never-verified']);
    for (const plan of ['main', 'offsite']) {
      const verify = await world.cli(['verify', plan]);
      expect(verify.code, verify.describe()).toBe(0);
    }
    expect(reasonsOf(await dryRun(), id)).toEqual([]);
  });

  it('a Live Photo whose video has no offsite copy is kept, though its photo has one', async () => {
    const entries = await readIndex(vault);
    const video = entries.find((e) => e.kind === 'live-video');
    expect(video, 'the library has a Live Photo').toBeDefined();
    await rm(join(vault, video!.key));
    const verify = await world.cli(['verify', 'offsite']);
    expect(verify.code).not.toBe(0); // the missing video is found, and the catalog told
    const report = await dryRun();
    expect(reasonsOf(report, video!.assetId)).toEqual(['not-321']);
    // Its photo's own copies are all there: only the video keeps it.
    expect(entries.some((e) => e.assetId === video!.assetId && e.kind === 'original')).toBe(true);
    const repaired = await world.cli(['repair', 'offsite']);
    expect(repaired.code, repaired.describe()).toBe(0);
  });
});
