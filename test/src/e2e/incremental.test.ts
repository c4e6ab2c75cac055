import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../fixtures/photo-folder.js';
import { hashTree, multisetDiff } from './cli.js';
import { type BackupWorld, createBackupWorld, type RunReport, totalSize } from './world.js';

describe('incremental backups', () => {
  let world: BackupWorld;
  const before = new Map<string, Map<string, string>>();

  beforeAll(async () => {
    world = await createBackupWorld({ count: 200, seed: 2 });
    const first = await world.runOk();
    expect(first.filesCopied).toBe(200);
    for (const drive of world.drives) before.set(drive.name, await hashTree(drive.path));
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('a second run with nothing new copies nothing and changes no file', async () => {
    const result = await world.cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).toBe(0);
    const report = result.json<RunReport>();
    expect(report).toMatchObject({ ok: true, filesCopied: 0, bytesCopied: 0, failures: [] });
    for (const drive of world.drives) {
      expect(report.destinations.find((d) => d.name === drive.name)).toMatchObject({ filesCopied: 0, bytesCopied: 0 });
      expect(await hashTree(drive.path)).toEqual(before.get(drive.name));
    }
  });

  it('after 20 photos are added, the next run copies exactly those 20 to each drive', async () => {
    const added = await addPhotos(world.source, 20, 1002);
    const result = await world.cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).toBe(0);
    const report = result.json<RunReport>();
    const bytes = totalSize(added);
    expect(report).toMatchObject({ ok: true, filesCopied: 20, bytesCopied: bytes, failures: [] });
    for (const drive of world.drives) {
      expect(report.destinations.find((d) => d.name === drive.name)).toMatchObject({
        filesCopied: 20,
        bytesCopied: bytes,
      });
      const old = before.get(drive.name)!;
      const now = await hashTree(drive.path);
      // Old copies untouched; the new files are exactly the 20 added photos.
      for (const [rel, sha] of old) expect(now.get(rel), rel).toBe(sha);
      const fresh = [...now].filter(([rel]) => !old.has(rel)).map(([, sha]) => sha);
      expect(
        multisetDiff(
          added.map((e) => e.sha256),
          fresh,
        ),
      ).toEqual({ missing: [], extra: [] });
    }
  });
});
