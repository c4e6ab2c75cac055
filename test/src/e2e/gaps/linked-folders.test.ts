import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, lifeboat, walkFiles } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 8: symbolic links inside a destination were followed, so repair could write outside the drive
// and restore could read from outside it.
describe('a symbolic link inside a destination is never followed', () => {
  let world: BackupWorld;
  let driveA: string;
  let year: string;
  let underYear: string[];

  beforeAll(async () => {
    world = await createBackupWorld({ count: 16, seed: 1608 });
    await world.runOk();
    driveA = world.drives[0]!.path;
    const years = (await readdir(driveA)).filter((n) => /^\d{4}$/.test(n)).sort();
    year = years[0]!;
    underYear = (await walkFiles(driveA)).filter((k) => k.startsWith(`${year}/`));
    expect(underYear.length, 'precondition: copies under the first year').toBeGreaterThan(0);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('restore does not read copies through a linked folder: those fail naming the link, exit 1', async () => {
    // The year folder now lives elsewhere, reached through a link: the bytes are right, but outside the drive.
    const outside = join(world.root, 'outside-read');
    await mkdir(outside);
    await rename(join(driveA, year), join(outside, year));
    await symlink(join(outside, year), join(driveA, year));
    const to = join(world.root, 'restored');
    const result = await lifeboat(['restore', '--from', driveA, '--to', to], { home: join(world.root, 'bare') });
    expect(result.code, result.describe()).toBe(1);
    expect(result.stderr).toMatch(/symbolic link inside the destination/);
    const restored = await walkFiles(to);
    expect(restored.filter((k) => k.startsWith(`${year}/`))).toEqual([]);
    expect(restored.length).toBe((await walkFiles(world.drives[1]!.path)).length - underYear.length);
    await rm(join(driveA, year));
    await rename(join(outside, year), join(driveA, year));
  });

  it('repair does not write through a linked folder: the outside folder stays empty, exit 1 naming the link', async () => {
    const outside = join(world.root, 'outside-write');
    await mkdir(outside);
    await rm(join(driveA, year), { recursive: true });
    await symlink(outside, join(driveA, year));
    const result = await world.cli(['repair', 'drive-a']);
    expect(result.code, result.describe()).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(/symbolic link inside the destination/);
    expect(await readdir(outside)).toEqual([]);
    // With the link replaced by a real folder, repair puts every copy back.
    await rm(join(driveA, year));
    const again = await world.cli(['repair', 'drive-a']);
    expect(again.code, again.describe()).toBe(0);
    expect(await hashTree(driveA)).toEqual(await hashTree(world.drives[1]!.path));
  });
});
