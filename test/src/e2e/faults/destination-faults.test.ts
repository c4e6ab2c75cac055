import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos, type PhotoEntry } from '../../fixtures/photo-folder.js';
import { type CliResult, hashTree, spawnRun, walkFiles } from '../cli.js';
import { fixturePlugin, treeDiff } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// A full disk (ENOSPC) and a failing one (EIO) on a destination (a test plugin that fails writes on demand, the
// way a drive does), and a drive unplugged in the middle of a run (the real disk destination). Each run that meets
// a fault exits 1 naming the destination, the file and the error; the other destination still gets every copy;
// nothing partial appears; and once the fault is gone the next run copies what was missed: nothing is lost.
// S3 500/503/SlowDown and dropped connections, retried to success, are in ../s3/faults.test.ts; S3 faults that
// do not go away, and faults while verifying, are in ./s3-faults.test.ts.

const PLAN = 'both';

interface Failure {
  code: string;
  message: string;
  destination?: string;
  fileName?: string;
}
interface Report {
  ok: boolean;
  failures: Failure[];
  destinations: Array<{ name: string; filesCopied: number; error?: { code: string; message: string } }>;
}

describe('destination faults: disk full, I/O errors, a drive removed mid-run', () => {
  let world: BackupWorld;
  let manifest: PhotoEntry[];
  let faulty: string;
  let faultFile: string;
  let driveA: string;
  const env = {};

  const run = () => world.cli(['run', PLAN, '--json'], { env });
  const copied = (r: CliResult, name: string) =>
    r.json<Report>().destinations.find((d) => d.name === name)?.filesCopied;
  /** `verify --all` of the plan, which must find every copy on both destinations healthy. */
  async function expectVerified() {
    const verify = await world.cli(['verify', PLAN, '--all', '--json']);
    expect(verify.code, verify.describe()).toBe(0);
    const report = verify.json<{ destinations: Array<{ destination: string; copies: number; healthy: number }> }>();
    expect(report.destinations.map((d) => [d.destination, d.copies, d.healthy])).toEqual([
      ['drive-a', manifest.length, manifest.length],
      ['fl', manifest.length, manifest.length],
    ]);
  }

  beforeAll(async () => {
    world = await createBackupWorld({ count: 20, seed: 6060 }, ['drive-a']);
    manifest = [...world.manifest];
    driveA = world.drives[0]!.path;
    faulty = join(world.root, 'faulty');
    faultFile = join(world.root, 'faults.json');
    for (const args of [
      ['plugins', 'add', fixturePlugin('lifeboat-plugin-faulty-folder')],
      // No sidecars on the faulty one: its fault counters count the copies' writes (sidecar faults: sidecar-run.test.ts).
      [
        'destination',
        'add',
        'faulty',
        'fl',
        '--set',
        `path=${faulty}`,
        '--set',
        `faultFile=${faultFile}`,
        '--set',
        'sidecars=none',
      ],
      ['plan', 'add', PLAN, '--source', 'photos', '--destination', 'drive-a', '--destination', 'fl'],
    ]) {
      const result = await world.cli(args, { timeoutMs: 120_000 });
      if (result.code !== 0) throw new Error(result.describe());
    }
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('disk full (ENOSPC) after 3 files: reported for each file it hit, the rest copied by the next run', async () => {
    await writeFile(faultFile, JSON.stringify({ code: 'ENOSPC', skip: 3 }));
    const full = await run();
    expect(full.code, full.describe()).toBe(1);
    const report = full.json<Report>();
    expect(report.ok).toBe(false);
    expect(report.failures).toHaveLength(manifest.length - 3);
    for (const f of report.failures) {
      expect(f).toMatchObject({
        destination: 'fl',
        message: expect.stringContaining('ENOSPC: no space left on device'),
      });
      expect(f.fileName).toBeTruthy();
    }
    expect(copied(full, 'drive-a')).toBe(manifest.length);
    expect(copied(full, 'fl')).toBe(3);
    expect((await treeDiff(faulty, manifest)).extra).toEqual([]); // 3 complete copies, nothing partial
    expect(await walkFiles(faulty)).toHaveLength(3);
    expect(await walkFiles(join(faulty, '.lifeboat', 'tmp'), { includeMeta: true })).toEqual([]);

    await rm(faultFile);
    const next = await run();
    expect(next.code, next.describe()).toBe(0);
    expect(copied(next, 'fl')).toBe(manifest.length - 3);
    expect(await treeDiff(faulty, manifest)).toEqual({ missing: [], extra: [] });
    await expectVerified();
  });

  it('EIO on two writes: both named in the report, copied by the next run', async () => {
    manifest.push(...(await addPhotos(world.source, 6, 61)));
    await writeFile(faultFile, JSON.stringify({ code: 'EIO', times: 2 }));
    const failing = await run();
    expect(failing.code, failing.describe()).toBe(1);
    const failures = failing.json<Report>().failures;
    expect(failures).toHaveLength(2);
    for (const f of failures) {
      expect(f).toMatchObject({ destination: 'fl', message: expect.stringContaining('EIO: i/o error') });
      expect(f.fileName).toMatch(/^DSC_\d{4}\.jpe?g$/i);
    }
    expect(failing.stderr).toBe(''); // --json: the report is the message
    expect(copied(failing, 'drive-a')).toBe(6);
    expect(copied(failing, 'fl')).toBe(4);
    await rm(faultFile);
    const next = await run();
    expect(next.code, next.describe()).toBe(0);
    expect(copied(next, 'fl')).toBe(2);
    await expectVerified();
  });

  it('a drive removed mid-run is not recreated; the other destination gets everything; the next run catches up', async () => {
    manifest.push(...(await addPhotos(world.source, 120, 62, { sizes: { min: 150_000, max: 900_000 } })));
    const before = (await walkFiles(driveA)).length;
    const away = join(world.root, 'drive-a-unplugged');
    const child = spawnRun(PLAN, { home: world.home, env }, ['--json']);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.resume();
    let unplugged = false;
    let copiedBefore = 0;
    const poll = setInterval(async () => {
      if (unplugged) return;
      const now = (await walkFiles(driveA).catch(() => [])).length;
      if (now - before >= 5 && !unplugged) {
        unplugged = true;
        copiedBefore = now - before;
        await rename(driveA, away);
      }
    }, 5);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(poll);
    expect(unplugged, 'the run finished before the drive could be removed').toBe(true);
    expect(code, stdout).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const aFailures = report.failures.filter((f) => f.destination === 'drive-a');
    expect(aFailures.length, stdout).toBeGreaterThan(0);
    for (const f of aFailures) expect(f.message, stdout).toContain(driveA);
    expect(
      report.failures.filter((f) => f.destination !== 'drive-a'),
      stdout,
    ).toEqual([]);
    expect(existsSync(driveA), `${driveA} was recreated while unplugged`).toBe(false);
    expect(report.destinations.find((d) => d.name === 'fl')?.filesCopied).toBe(120);

    // Whatever landed on the drive is a complete copy (checked by hash), and its temp folder holds no debris.
    const landed = await hashTree(away);
    const known = new Set(manifest.map((e) => e.sha256));
    expect([...landed].filter(([, sha]) => !known.has(sha)).map(([k]) => k)).toEqual([]);
    expect(landed.size).toBeGreaterThanOrEqual(before + copiedBefore);

    await rename(away, driveA);
    const next = await run();
    expect(next.code, next.describe()).toBe(0);
    expect((await treeDiff(driveA, manifest)).missing).toEqual([]);
    await expectVerified();
  });
});
