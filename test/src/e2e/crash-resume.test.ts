import { join } from 'node:path';
import { createRng } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos, type PhotoEntry } from '../fixtures/photo-folder.js';
import { type CliResult, hashTree, spawnRun, walkFiles } from './cli.js';
import { type BackupWorld, createBackupWorld, type RunReport } from './world.js';

const ATTEMPTS = 10;
const SIZES = { min: 300_000, max: 5_000_000 }; // ~250 MB for 150 files: a run takes seconds

/** When to kill: a random delay after spawn, or a random number of files into the copying (mid-copy for sure). */
type Trigger = { afterMs: number } | { afterFiles: number; thenMs: number };

interface Attempt {
  trigger: string;
  killed: boolean; // false: the run ended on its own before the kill
  code: number | null;
  stderr: string;
  copiedSoFar: number; // files under drive-a's final layout after the attempt
  sourceFiles: number; // files in the source during the attempt
}

const countFiles = (dir: string) =>
  walkFiles(dir).then(
    (files) => files.length,
    () => -1,
  );

/** Starts a run and SIGKILLs it when the trigger fires, unless it has already exited. */
async function runAndKill(world: BackupWorld, trigger: Trigger, sourceFiles: number): Promise<Attempt> {
  const drive = world.drives[0]!.path;
  const before = await countFiles(drive);
  const child = spawnRun(world.plan, { home: world.home }, ['--json']);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  const kill = () => child.kill('SIGKILL');
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  if ('afterMs' in trigger) {
    timer = setTimeout(kill, trigger.afterMs);
  } else {
    let busy = false;
    poll = setInterval(async () => {
      if (busy) return;
      busy = true;
      if ((await countFiles(drive)) - before >= trigger.afterFiles) {
        clearInterval(poll);
        timer = setTimeout(kill, trigger.thenMs);
      }
      busy = false;
    }, 10);
  }
  const label = 'afterMs' in trigger ? `${trigger.afterMs} ms` : `${trigger.afterFiles} files + ${trigger.thenMs} ms`;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      const copiedSoFar = await countFiles(drive);
      resolve({ trigger: label, killed: signal === 'SIGKILL', code, stderr, copiedSoFar, sourceFiles });
    });
  });
}

describe('a backup killed at random moments, then resumed', () => {
  let world: BackupWorld;
  let manifest: PhotoEntry[];
  const attempts: Attempt[] = [];
  let final: CliResult;
  let status: CliResult;
  const trees = new Map<string, Map<string, string>>();
  const tmpLeftovers = new Map<string, string[]>();

  beforeAll(async () => {
    world = await createBackupWorld({ count: 150, seed: 4, sizes: SIZES });
    manifest = [...world.manifest];
    const rng = createRng(44);
    for (let i = 0; i < ATTEMPTS; i++) {
      // Alternate: blind delays also hit start-up (catalog, locks, inventory); file counts hit the copying.
      const trigger: Trigger =
        i % 2 === 0 ? { afterMs: rng.int(100, 1500) } : { afterFiles: rng.int(1, 25), thenMs: rng.int(0, 40) };
      const attempt = await runAndKill(world, trigger, manifest.length);
      attempts.push(attempt);
      // A run that finished before its kill leaves nothing to interrupt: give the next attempt new work.
      if (!attempt.killed) manifest.push(...(await addPhotos(world.source, 60, 400 + i, { sizes: SIZES })));
    }
    final = await world.cli(['run', 'main', '--json']);
    status = await world.cli(['status', '--json']);
    for (const drive of world.drives) {
      trees.set(drive.name, await hashTree(drive.path));
      tmpLeftovers.set(drive.name, await walkFiles(join(drive.path, '.lifeboat', 'tmp'), { includeMeta: true }));
    }
  }, 300_000);
  afterAll(async () => {
    console.info(`crash-resume attempts:\n${history().join('\n')}`);
    await world?.cleanup();
  });

  const history = () =>
    attempts.map(
      (a) =>
        `${a.trigger}: ${a.killed ? 'killed' : `exit ${a.code}`}, ${a.copiedSoFar}/${a.sourceFiles} on drive-a ` +
        a.stderr.trim().slice(0, 300),
    );

  it('interrupts runs that were really under way, some in the middle of copying (precondition)', () => {
    expect(attempts.filter((a) => a.killed).length, history().join('\n')).toBeGreaterThanOrEqual(5);
    // Killed after copying had started and before it finished: files were added, but not all of them.
    const progressed = (a: Attempt, i: number) => a.copiedSoFar > (attempts[i - 1]?.copiedSoFar ?? 0);
    const midCopy = attempts.filter((a, i) => a.killed && progressed(a, i) && a.copiedSoFar < a.sourceFiles);
    expect(midCopy.length, history().join('\n')).toBeGreaterThanOrEqual(3);
  });

  it('never leaves state that makes a later run fail', () => {
    expect(
      attempts.filter((a) => !a.killed && a.code !== 0),
      history().join('\n'),
    ).toEqual([]);
    expect(final.code, final.describe()).toBe(0);
    expect(final.json<RunReport>()).toMatchObject({ ok: true, failures: [] });
  });

  it.each(['drive-a', 'drive-b'])('%s has no file under its final layout that is not a complete copy', (name) => {
    const known = new Set(manifest.map((e) => e.sha256));
    const foreign = [...trees.get(name)!].filter(([, sha]) => !known.has(sha)).map(([rel]) => rel);
    expect(foreign).toEqual([]);
  });

  it.each(['drive-a', 'drive-b'])('%s holds every source file, each exactly once', (name) => {
    const counts = new Map<string, number>();
    for (const sha of trees.get(name)!.values()) counts.set(sha, (counts.get(sha) ?? 0) + 1);
    expect(manifest.filter((e) => !counts.has(e.sha256)).map((e) => e.relPath)).toEqual([]);
    const twice = [...trees.get(name)!].filter(([, sha]) => (counts.get(sha) ?? 0) > 1).map(([rel]) => rel);
    expect(twice, 'files stored more than once').toEqual([]);
  });

  it.each(['drive-a', 'drive-b'])('%s has no temp files left in .lifeboat/tmp', (name) => {
    expect(tmpLeftovers.get(name)).toEqual([]);
  });

  it('status counts every file as verified on both drives', () => {
    expect(status.code, status.describe()).toBe(0);
    const report = status.json<{ destinations: Array<{ name: string; assets: number }> }>();
    for (const name of ['drive-a', 'drive-b']) {
      expect(report.destinations.find((d) => d.name === name)?.assets, name).toBe(manifest.length);
    }
  });
});
