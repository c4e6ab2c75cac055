import { existsSync } from 'node:fs';
import { open, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
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

// The same, for files an older Lifeboat backed up: it remembered no sha256 of the source files (the folder source's
// content cache did not exist), so the first `touch` after the upgrade still copied each file once more.
describe('change detection for files backed up before sha256s were remembered', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 12, seed: 1615 }, ['drive-a']);
    await world.runOk();
    // As the older Lifeboat left things: catalog, drive and index the same, no content cache.
    const cache = join(world.home, 'plugin-data', 'disk', 'folder-content');
    expect(existsSync(cache), 'the content cache this test removes').toBe(true);
    await rm(cache, { recursive: true });
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('touching every file copies nothing, and the source learns their sha256s for the next touch', async () => {
    const touch = async (at: Date) => {
      for (const entry of world.manifest) await utimes(join(world.source, entry.relPath), at, at);
    };
    await touch(new Date(Date.now() + 3600_000));
    const report = await world.runOk();
    expect(report.filesCopied).toBe(0);
    expect((await hashTree(world.drives[0]!.path)).size).toBe(12);
    // The drive's own index lists every file as it is (a restore without this machine still finds them all).
    const verify = await world.cli(['verify', 'drive-a']);
    expect(verify.code, verify.describe()).toBe(0);
    // The source learnt each file's sha256 on that read, so the next touch is told apart without Lifeboat's help.
    const cache = join(world.home, 'plugin-data', 'disk', 'folder-content');
    const [file] = await readdir(cache);
    const known = Object.values(JSON.parse(await readFile(join(cache, file!), 'utf8')) as Record<string, object>);
    expect(known).toHaveLength(12);
    for (const k of known) expect(k).toHaveProperty('sha256');
    await touch(new Date(Date.now() + 7200_000));
    expect((await world.runOk()).filesCopied).toBe(0);
  });

  it('a file whose bytes changed (same size, new time) is still copied as a new version', async () => {
    const entry = world.manifest[2]!;
    const path = join(world.source, entry.relPath);
    const fh = await open(path, 'r+');
    await fh.write(Buffer.from('edited!'), 0, 7, 100);
    await fh.close();
    const later = new Date(Date.now() + 10_800_000);
    await utimes(path, later, later);
    expect((await world.runOk()).filesCopied).toBe(1);
    const tree = await hashTree(world.drives[0]!.path);
    expect(tree.size).toBe(13);
    expect([...tree.values()]).toContain(entry.sha256); // the old version is kept
  });
});
