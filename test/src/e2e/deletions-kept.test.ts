import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, shuffled } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoEntry } from '../fixtures/photo-folder.js';
import { type CliResult, hashTree, multisetDiff } from './cli.js';
import { type BackupWorld, createBackupWorld, type RunReport } from './world.js';

interface StatusReport {
  destinations: Array<{ name: string; assets: number }>;
  goneFromSource: {
    count: number;
    assets: Array<{ source: string; assetId: string; fileName: string; firstMissingAt: string }>;
  };
}

describe('files deleted from the source', () => {
  let world: BackupWorld;
  let deleted: PhotoEntry[];
  let run: CliResult;
  let status: CliResult;

  beforeAll(async () => {
    world = await createBackupWorld({ count: 200, seed: 3 });
    await world.runOk();
    deleted = shuffled(world.manifest, createRng(33)).slice(0, 50);
    for (const entry of deleted) await rm(join(world.source, entry.relPath));
    run = await world.cli(['run', 'main', '--json']);
    status = await world.cli(['status', '--json']);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('do not make the next run fail', () => {
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    expect(report).toMatchObject({ ok: true, filesCopied: 0, failures: [] });
    const gone = report.goneFromSource as number | { count: number } | undefined;
    expect(typeof gone === 'number' ? gone : gone?.count, 'goneFromSource in the run report').toBe(50);
  });

  it.each(['drive-a', 'drive-b'])('are still on %s, byte-identical, with everything else', async (name) => {
    const tree = await hashTree(world.drives.find((d) => d.name === name)!.path);
    const { missing, extra } = multisetDiff(
      world.manifest.map((e) => e.sha256),
      tree.values(),
    );
    const deletedShas = new Set(deleted.map((e) => e.sha256));
    expect(missing.filter((sha) => deletedShas.has(sha)).length, 'deleted files lost from the drive').toBe(0);
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('are reported by status as 50 assets gone from the source, with names and dates', () => {
    expect(status.code, status.describe()).toBe(0);
    const report = status.json<StatusReport>();
    expect(report.goneFromSource.count).toBe(50);
    expect(report.goneFromSource.assets).toHaveLength(50);
    expect(
      multisetDiff(
        deleted.map((e) => e.fileName),
        report.goneFromSource.assets.map((a) => a.fileName),
      ),
    ).toEqual({ missing: [], extra: [] });
    for (const asset of report.goneFromSource.assets) {
      expect(asset.source).toBe('photos');
      expect(Number.isNaN(Date.parse(asset.firstMissingAt)), `firstMissingAt ${asset.firstMissingAt}`).toBe(false);
    }
  });

  it('still count as verified copies on both drives in status', () => {
    const report = status.json<StatusReport>();
    for (const name of ['drive-a', 'drive-b']) {
      expect(report.destinations.find((d) => d.name === name)?.assets, name).toBe(200);
    }
  });
});
