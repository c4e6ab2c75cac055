/**
 * `lifeboat offload` through the built CLI against the simulated iCloud: backed up to two drives (one medium, as
 * they share a filesystem here) and an offsite drive on another medium, verified, then offloaded. Counters on the
 * simulator prove what was sent to iCloud.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcloudWorld, type IcloudWorld, listedStates, readIndex } from './icloud-world.js';
import { backUpWithOffsiteVault } from './offload-world.js';

interface OffloadJson {
  ok: boolean;
  dryRun: boolean;
  wouldMove: number;
  moved: number;
  bytes: number;
  keptByReason: Record<string, number>;
  stopped?: { assetId: string; reason: string };
  assets: { assetId: string; move: boolean; moved: boolean; reasons: string[] }[];
}

describe('offload: free iCloud space only on verified 3-2-1 copies', () => {
  let world: IcloudWorld;
  const modifies = () => world.sim.counters.requests('ck private records/modify');
  const inTrash = (assetId: string) => world.sim.library.state(world.sim.library.find(assetId)!).isDeleted;
  const offload = async (...args: string[]) => {
    const result = await world.cli(['offload', world.source, '--json', ...args]);
    return { result, report: result.json<OffloadJson>() };
  };
  let favourite: string;

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 30, seed: 19 } });
    // A favourite, kept with --keep-favorites.
    favourite = world.sim.library.state(0).spec.masterId;
    world.sim.library.setFlags({ indexes: [0] }, { favorite: true });
    await backUpWithOffsiteVault(world);
    // docs/architecture.md, invariant 9: backups and verify never write to iCloud.
    expect(modifies()).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await world?.cleanup();
  });

  it('a dry run sends nothing to iCloud and says what would move and why the rest stays', async () => {
    const before = modifies();
    const { result, report } = await offload('--keep-favorites');
    expect(result.code, result.describe()).toBe(0);
    expect(report.dryRun).toBe(true);
    expect(report.moved).toBe(0);
    expect(report.wouldMove).toBeGreaterThan(15);
    const favourites = listedStates(world.sim.library).filter((state) => state.isFavorite);
    expect(favourites.length).toBeGreaterThanOrEqual(1);
    expect(report.keptByReason.favorite).toBe(favourites.length);
    expect(report.assets.find((a) => a.assetId === favourite)).toMatchObject({ move: false, reasons: ['favorite'] });
    expect(modifies()).toBe(before);
    expect(report.assets.filter((a) => a.move).some((a) => inTrash(a.assetId))).toBe(false);
    const text = await world.cli(['offload', world.source, '--keep-favorites']);
    expect(text.code, text.describe()).toBe(0);
    expect(text.stdout).toContain(
      `Dry run: would move ${report.wouldMove} photos from ${world.source} to Recently Deleted`,
    );
    expect(text.stdout).toMatch(new RegExp(`${favourites.length}\\s+favourite \\(--keep-favorites\\)`));
    expect(text.stdout).toContain('Nothing was changed. Add --yes');
    expect(modifies()).toBe(before);
    // Without the offsite drive's copies, nothing satisfies 3-2-1: asking for more copies than exist keeps all.
    const strict = await offload('--min-copies', '4');
    expect(strict.report.wouldMove).toBe(0);
    expect(strict.report.keptByReason['not-321']).toBeGreaterThan(15);
    const refused = await world.cli(['offload', world.source, '--min-copies', '1']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('at least 2');
  });

  it('a copy that no longer reads back as recorded stops --yes before anything is sent', async () => {
    const { report: plan } = await offload('--keep-favorites');
    const first = plan.assets.find((a) => a.move)!.assetId;
    const driveA = world.drives[0]!.path;
    const entry = (await readIndex(driveA)).find((e) => e.assetId === first && e.kind === 'original')!;
    const path = join(driveA, entry.key);
    const good = await readFile(path);
    const bad = Buffer.from(good);
    bad[0] = bad[0]! ^ 0xff;
    await writeFile(path, bad);
    const before = modifies();
    try {
      const { result, report } = await offload('--keep-favorites', '--yes');
      expect(result.code).toBe(1);
      expect(report.stopped).toMatchObject({ assetId: first, reason: 'read-back-failed' });
      expect(report.moved).toBe(0);
      expect(modifies()).toBe(before);
      expect(inTrash(first)).toBe(false);
    } finally {
      await writeFile(path, good);
    }
  });

  it('a record changed in iCloud since the backup stops the run at its batch; earlier batches moved', async () => {
    const { report: plan } = await offload('--keep-favorites');
    const movable = plan.assets.filter((a) => a.move).map((a) => a.assetId);
    const changed = movable[12]!;
    world.sim.library.setFlags({ indexes: [world.sim.library.find(changed)!] }, { hidden: true });
    const before = modifies();
    const { result, report } = await offload('--keep-favorites', '--yes', '--max', '20');
    expect(result.code, result.describe()).toBe(1);
    expect(report.stopped).toMatchObject({ assetId: changed, reason: 'conflict' });
    expect(report.moved).toBe(10);
    expect(modifies() - before).toBe(2);
    expect(movable.slice(0, 10).every(inTrash)).toBe(true);
    expect(movable.slice(10).some(inTrash)).toBe(false);
    expect(inTrash(favourite)).toBe(false);
  });

  it('the next backup does not report offloaded photos as gone; status counts them; a new offload finishes', async () => {
    const run = await world.runOk();
    expect(run.goneFromSource).toBe(0);
    const status = await world.cli(['status', '--json']);
    const report = status.json<{
      offloaded: { source: string; assets: number }[];
      goneFromSource: { count: number };
    }>();
    expect(report.offloaded).toEqual([expect.objectContaining({ source: world.source, assets: 10 })]);
    expect(report.goneFromSource.count).toBe(0);
    // The backup saw the changed record's new version: it may move now. Already offloaded ones are not sent again.
    const { result, report: last } = await offload('--keep-favorites', '--yes');
    expect(result.code, result.describe()).toBe(0);
    expect(last.keptByReason['in-source-trash']).toBeGreaterThanOrEqual(10);
    const moved = last.assets.filter((a) => a.moved).map((a) => a.assetId);
    expect(last.wouldMove).toBeGreaterThan(0);
    expect(moved.length).toBe(last.wouldMove);
    expect(moved.every(inTrash)).toBe(true);
    expect(inTrash(favourite)).toBe(false);
  });
});
