import { posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoEntry } from '../fixtures/photo-folder.js';
import { type CliResult, hashTree, multisetDiff } from './cli.js';
import { type BackupWorld, createBackupWorld, type RunReport, totalSize } from './world.js';

const DRIVES = ['drive-a', 'drive-b'];

describe('backing up 500 photos to two disk drives', () => {
  let world: BackupWorld;
  let run: CliResult;
  const trees = new Map<string, Map<string, string>>(); // drive -> relPath -> sha256
  const bySha = new Map<string, PhotoEntry>();

  beforeAll(async () => {
    world = await createBackupWorld({ count: 500, seed: 1, duplicateNames: 0.1 });
    for (const entry of world.manifest) bySha.set(entry.sha256, entry);
    run = await world.cli(['run', 'main', '--json']);
    for (const drive of world.drives) trees.set(drive.name, await hashTree(drive.path));
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('starts from a set with same-name files captured in the same month (precondition)', () => {
    const seen = new Map<string, string>();
    let clashes = 0;
    for (const entry of world.manifest) {
      const key = `${entry.capturedAt.slice(0, 7)}/${entry.fileName}`;
      if (seen.has(key) && seen.get(key) !== posix.dirname(entry.relPath)) clashes++;
      seen.set(key, posix.dirname(entry.relPath));
    }
    expect(clashes).toBeGreaterThanOrEqual(20);
  });

  it('succeeds and reports 500 files read once and copied to each drive', () => {
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    const bytes = totalSize(world.manifest);
    expect(report).toMatchObject({ ok: true, filesCopied: 500, bytesCopied: bytes, failures: [] });
    for (const name of DRIVES) {
      expect(report.destinations.find((d) => d.name === name)).toMatchObject({ filesCopied: 500, bytesCopied: bytes });
    }
  });

  it.each(DRIVES)('%s holds every source file byte-identical, each exactly once', (name) => {
    const tree = trees.get(name)!;
    const { missing, extra } = multisetDiff(
      world.manifest.map((e) => e.sha256),
      tree.values(),
    );
    const where = (sha: string) => [...tree].filter(([, s]) => s === sha).map(([rel]) => rel);
    expect(missing.map((sha) => bySha.get(sha)?.relPath)).toEqual([]);
    expect(extra.map((sha) => `${where(sha).join(', ')} (${bySha.has(sha) ? 'duplicate' : 'unknown bytes'})`)).toEqual(
      [],
    );
    expect(tree.size).toBe(500);
  });

  it.each(DRIVES)('%s files sit under <yyyy>/<mm>/ of their EXIF capture date, keeping their names', (name) => {
    const misplaced: string[] = [];
    for (const [rel, sha] of trees.get(name)!) {
      const entry = bySha.get(sha);
      if (!entry) continue; // reported by the previous test
      const [year, month] = entry.capturedAt.split('-');
      const stem = entry.fileName.slice(0, entry.fileName.lastIndexOf('.'));
      const folderOk = posix.dirname(rel) === `${year}/${month}`;
      // A collision may add a suffix; the original stem must still lead the name.
      if (!folderOk || !posix.basename(rel).startsWith(stem)) {
        misplaced.push(`${rel} <- ${entry.relPath} captured ${entry.capturedAt}${entry.offset}`);
      }
    }
    expect(misplaced).toEqual([]);
  });
});
