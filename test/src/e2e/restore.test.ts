import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoEntry } from '../fixtures/photo-folder.js';
import { hashTree, lifeboat, multisetDiff, removeDir } from './cli.js';
import { type BackupWorld, createBackupWorld, describeEntries, totalSize } from './world.js';

const SINCE = '2019-03-01';
const UNTIL = '2019-08-31';
// Pinned dates rotate .JPG, .jpg, .jpeg, .JPG: the month-boundary cases land on .JPG files. Their offsets put the
// UTC instant on the other side of the boundary, so only wall-clock dates (as the layout uses) filter them right.
const PINNED = [
  '2019-03-01T00:00:05+09:00', // in
  '2019-05-10T12:00:00+02:00', // in range, .jpg: excluded by the glob
  '2019-06-10T12:00:00+02:00', // in range, .jpeg: excluded by the glob
  '2019-08-31T23:59:30-07:00', // in
  '2019-02-28T23:50:00-07:00', // out
  '2019-04-01T08:00:00+00:00',
  '2019-07-15T08:00:00+00:00',
  '2019-09-01T00:05:00+09:00', // out
];

/** Capture day within [SINCE, UNTIL], both inclusive, by wall clock. */
const inDateRange = (e: PhotoEntry) => e.capturedAt.slice(0, 10) >= SINCE && e.capturedAt.slice(0, 10) <= UNTIL;

interface RestoreReport {
  ok: boolean;
  filesRestored: number;
  bytesRestored: number;
  failures: unknown[];
}

describe('restoring a filtered subset from one drive alone', () => {
  let world: BackupWorld;
  let expected: PhotoEntry[];
  const driveLayout = new Map<string, Map<string, string>>(); // drive -> sha256 -> relPath

  beforeAll(async () => {
    world = await createBackupWorld({ count: 300, seed: 6, pinnedDates: PINNED });
    await world.runOk();
    for (const drive of world.drives) {
      const tree = await hashTree(drive.path);
      driveLayout.set(drive.name, new Map([...tree].map(([rel, sha]) => [sha, rel])));
    }
    expected = world.manifest.filter((e) => inDateRange(e) && e.fileName.endsWith('.JPG'));
    // Restore must need nothing but the drive: no catalog, no config, no source.
    await removeDir(world.home);
    await removeDir(world.source);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('uses filters that select a strict subset where each filter matters (precondition)', () => {
    const inRange = world.manifest.filter((e) => inDateRange(e));
    expect(expected.length).toBeGreaterThanOrEqual(10);
    expect(inRange.length).toBeGreaterThan(expected.length); // the glob drops .jpg/.jpeg files in range
    expect(world.manifest.filter((e) => e.fileName.endsWith('.JPG')).length).toBeGreaterThan(expected.length);
  });

  it.each(['drive-a', 'drive-b'])(
    'from %s with a fresh LIFEBOAT_HOME restores exactly the matching files, byte-identical, in the drive layout',
    async (name) => {
      const drive = world.drives.find((d) => d.name === name)!;
      const home = join(world.root, `fresh-home-${name}`);
      const to = join(world.root, `restored-${name}`);
      await mkdir(home);
      const args = ['restore', '--from', drive.path, '--to', to, '--since', SINCE, '--until', UNTIL];
      const result = await lifeboat([...args, '--match', '*.JPG', '--json'], { home });
      expect(result.code, result.describe()).toBe(0);
      expect(result.json<RestoreReport>()).toMatchObject({
        ok: true,
        filesRestored: expected.length,
        bytesRestored: totalSize(expected),
        failures: [],
      });
      const restored = await hashTree(to, { includeMeta: true });
      const { missing, extra } = multisetDiff(
        expected.map((e) => e.sha256),
        restored.values(),
      );
      const bySha = new Map(world.manifest.map((e) => [e.sha256, e]));
      const explain = (shas: string[]) => describeEntries(shas.flatMap((sha) => bySha.get(sha) ?? []));
      expect({ missing: explain(missing), extra: explain(extra), unknown: extra.filter((s) => !bySha.has(s)) }).toEqual(
        {
          missing: [],
          extra: [],
          unknown: [],
        },
      );
      const layout = driveLayout.get(name)!;
      for (const [rel, sha] of restored) expect(rel, posix.basename(rel)).toBe(layout.get(sha));
    },
  );
});
