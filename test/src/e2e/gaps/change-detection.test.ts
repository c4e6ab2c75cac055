import { open, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, sha256File } from '../cli.js';
import { type BackupWorld, createBackupWorld, type RunReport } from '../world.js';

// Issue 16, class 14: change detection by size and time only. `touch` on 150 files made a new version of each
// (752 files on the drive); bytes changed with size and time kept were never seen.
describe('change detection: a new time alone is not a change; --checksum finds changed bytes', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 40, seed: 1614 }, ['drive-a']);
    await world.runOk();
  }, 180_000);
  afterAll(() => world?.cleanup());

  const driveFiles = async () => (await hashTree(world.drives[0]!.path)).size;

  it('touching every file copies nothing again', async () => {
    const later = new Date(Date.now() + 3600_000);
    for (const entry of world.manifest) await utimes(join(world.source, entry.relPath), later, later);
    const report = await world.runOk();
    expect(report.filesCopied).toBe(0);
    expect(await driveFiles()).toBe(40);
    const again = await world.runOk();
    expect(again.filesCopied).toBe(0);
  });

  it('bytes changed with size and time kept: unseen by a plain run, copied by `run --checksum`', async () => {
    const entry = world.manifest[7]!;
    const path = join(world.source, entry.relPath);
    const before = await stat(path);
    const fh = await open(path, 'r+');
    await fh.write(Buffer.from('tampered'), 0, 8, Math.floor(before.size / 2)); // same size
    await fh.close();
    await utimes(path, before.atime, before.mtime); // same time
    const plain = await world.runOk();
    expect(plain.filesCopied, 'a plain run trusts size and time (documented)').toBe(0);
    const result = await world.cli(['run', 'main', '--checksum', '--json']);
    expect(result.code, result.describe()).toBe(0);
    expect(result.json<RunReport>().filesCopied).toBe(1);
    const tree = await hashTree(world.drives[0]!.path);
    expect([...tree.values()]).toContain(await sha256File(path));
    expect([...tree.values()]).toContain(entry.sha256); // the old version is kept
    expect(tree.size).toBe(41);
  });

  it('a changed file with a new time is still copied as a new version', async () => {
    const entry = world.manifest[3]!;
    const path = join(world.source, entry.relPath);
    const fh = await open(path, 'r+');
    await fh.write(Buffer.from('edited!'), 0, 7, 100);
    await fh.close();
    const later = new Date(Date.now() + 7200_000);
    await utimes(path, later, later);
    const report = await world.runOk();
    expect(report.filesCopied).toBe(1);
  });
});
