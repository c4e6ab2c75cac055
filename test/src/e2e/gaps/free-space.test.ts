import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../../fixtures/photo-folder.js';
import { hashTree, lifeboatOk } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 17: a fixed 64 MB margin refused a 50 KB backup to a drive with 52 MB free, and a drive short
// of the whole backup got nothing. Real small drives: tmpfs mounts of a given size (needs root, as the tests
// run here; skipped where mounting is not allowed).

function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Report {
  ok: boolean;
  filesCopied: number;
  failures: Array<{ code: string; destination?: string; message: string; hint?: string }>;
  destinations: Array<{ name: string; filesCopied: number }>;
}

describe('free space on a destination', () => {
  let world: BackupWorld;
  const mounts: string[] = [];
  let canMount = false;

  beforeAll(async () => {
    world = await createBackupWorld({ count: 2, seed: 1617, sizes: { min: 20_000, max: 25_000 } }, ['drive-a']);
    for (const [name, size] of [
      ['roomy', '52m'],
      ['tiny', '3m'],
    ] as const) {
      const dir = join(world.root, `mnt-${name}`);
      await mkdir(dir);
      if (!tryMount(dir, size)) return;
      mounts.push(dir);
    }
    canMount = true;
  }, 180_000);
  afterAll(async () => {
    for (const dir of mounts) execFileSync('umount', [dir]);
    await world?.cleanup();
  });

  it('a 50 KB backup fits on a drive with 52 MB free', async ({ skip }) => {
    if (!canMount) skip();
    const drive = join(world.root, 'mnt-roomy', 'Lifeboat');
    await lifeboatOk(['destination', 'add', 'disk', 'roomy', '--set', `path=${drive}`], { home: world.home });
    await lifeboatOk(['plan', 'add', 'small', '--source', 'photos', '--destination', 'roomy'], { home: world.home });
    const result = await world.cli(['run', 'small', '--json']);
    expect(result.code, result.describe()).toBe(0);
    expect(result.json<Report>().filesCopied).toBe(2);
  });

  it('a drive short of the whole backup gets what fits, and the rest is reported (exit 1)', async ({ skip }) => {
    if (!canMount) skip();
    await addPhotos(world.source, 12, 1717, { sizes: { min: 400_000, max: 450_000 } }); // ~5 MB to a 3 MB drive
    const drive = join(world.root, 'mnt-tiny', 'Lifeboat');
    await lifeboatOk(['destination', 'add', 'disk', 'tiny', '--set', `path=${drive}`], { home: world.home });
    await lifeboatOk(['plan', 'add', 'big', '--source', 'photos', '--destination', 'tiny'], { home: world.home });
    const result = await world.cli(['run', 'big', '--json']);
    expect(result.code, result.describe()).toBe(1);
    const report = result.json<Report>();
    const copied = report.destinations.find((d) => d.name === 'tiny')!.filesCopied;
    expect(copied, result.describe()).toBeGreaterThan(2);
    expect(copied).toBeLessThan(14);
    const failure = report.failures.find((f) => f.code === 'LIFEBOAT_NO_SPACE');
    expect(failure?.message, result.describe()).toMatch(
      new RegExp(`${copied} of 14 files fit and are copied; ${14 - copied} files`),
    );
    expect(failure?.hint).toMatch(/run again to copy the rest/);
    expect((await hashTree(drive)).size).toBe(copied);
    // No write ran out of room midway: the margin held.
    expect(report.failures.filter((f) => /ENOSPC/.test(f.message))).toEqual([]);
  });
});
