import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, spawnCli } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, classes 12 and 3: temp files of a killed restore or repair stayed behind, and a run's start-up
// cleanup deleted the in-flight temp files of another process sharing the destination.
const HOST =
  hostname()
    .replace(/[^A-Za-z0-9.-]/g, '_')
    .slice(0, 64) || 'host';

/** The pid of a process that has just ended: what a killed restore, repair or run leaves in its temp names. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

async function filesNamed(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && pattern.test(e.name)).map((e) => e.name);
}

describe('temp files of killed processes are cleaned; those of live ones never', () => {
  let world: BackupWorld;
  let live: ChildProcess;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 8, seed: 1612, sizes: { min: 4_000_000, max: 6_000_000 } }, ['drive-a']);
    await world.runOk();
    live = spawn('sleep', ['120']); // stands for another lifeboat process, still writing
  }, 180_000);
  afterAll(async () => {
    live?.kill();
    await world?.cleanup();
  });

  it('a restore killed mid-file leaves a temp file; the next restore removes it and completes', async () => {
    const to = join(world.root, 'restored');
    const child = spawnCli(['restore', '--from', 'drive-a', '--to', to], { home: world.home });
    let seen: string[] = [];
    for (let i = 0; i < 4000 && seen.length === 0 && child.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen = await filesNamed(to, /\.lifeboat-restore$/).catch(() => []);
    }
    child.kill('SIGKILL');
    await once(child, 'close');
    expect(seen.length, 'the restore was killed while writing a file (precondition)').toBeGreaterThan(0);
    expect(await filesNamed(to, /\.lifeboat-restore$/)).not.toEqual([]);
    // A live restore's temp file, beside them, must survive.
    await mkdir(join(to, 'elsewhere'), { recursive: true });
    const livesOn = `.${live.pid}@${HOST}~0123456789ab.lifeboat-restore`;
    await writeFile(join(to, 'elsewhere', livesOn), 'in flight');
    const result = await world.cli(['restore', '--from', 'drive-a', '--to', to]);
    expect(result.code, result.describe()).toBe(0);
    expect(result.stderr).toMatch(/Removed \d+ temp file\(s\) an interrupted restore had left/);
    expect(await filesNamed(to, /\.lifeboat-restore$/)).toEqual([livesOn]);
    const restored = await hashTree(to);
    restored.delete(`elsewhere/${livesOn}`);
    expect(restored).toEqual(await hashTree(world.drives[0]!.path));
  });

  it("repair and run remove a killed process's temp files on the drive, never a live process's", async () => {
    const tmp = join(world.drives[0]!.path, '.lifeboat', 'tmp');
    await mkdir(tmp, { recursive: true });
    const killed = `${await deadPid()}@${HOST}~killed-repair.part`;
    const inFlight = `${live.pid}@${HOST}~another-plans-run.part`;
    const oldFormat = '6f1c3c0e-0000-4000-8000-000000000000.part'; // an older version's, hours old
    for (const name of [killed, inFlight, oldFormat]) await writeFile(join(tmp, name), 'partial');
    const hoursAgo = new Date(Date.now() - 3 * 3600_000);
    await utimes(join(tmp, oldFormat), hoursAgo, hoursAgo);
    const repair = await world.cli(['repair', 'drive-a']);
    expect(repair.code, repair.describe()).toBe(0);
    expect((await readdir(tmp)).sort()).toEqual([inFlight]);

    const killedRun = `${await deadPid()}@${HOST}~killed-run.part`;
    await writeFile(join(tmp, killedRun), 'partial');
    const run = await world.cli(['run', 'main']);
    expect(run.code, run.describe()).toBe(0);
    expect(await readdir(tmp)).toEqual([inFlight]);
  });
});
