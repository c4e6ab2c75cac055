import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnRun, walkFiles } from '../cli.js';
import { fixturePlugin } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 4 (during a run): a destination that stops answering mid-run (a NAS mount that dies) hung
// `lifeboat run` for ever; SIGTERM did not end it, the plan's lock stayed held, and the healthy destination's
// copies were never recorded. Every plugin call now has a deadline on silence, and the run's stop reaches it.

interface Report {
  ok: boolean;
  aborted: boolean;
  destinations: Array<{ name: string; filesCopied: number; error?: { code: string; message: string } }>;
}

const copiesOn = (home: string, destination: string): number => {
  const db = new DatabaseSync(join(home, 'catalog.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM copies WHERE destination = ?').get(destination) as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Edits a destination's entry in the config file, as a user would for a setting the CLI does not take. */
async function editDestination(
  home: string,
  name: string,
  edit: (d: { settings: Record<string, unknown>; callTimeoutSeconds?: number }) => void,
): Promise<void> {
  const file = join(home, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8'));
  edit(config.destinations[name]);
  await writeFile(file, JSON.stringify(config, null, 2));
}

describe('`lifeboat run` with a destination that stops answering', () => {
  let world: BackupWorld;
  const photos = 8;
  beforeAll(async () => {
    world = await createBackupWorld({ count: photos, seed: 1640 }, ['drive-a', 'drive-b']);
    const stuck = (name: string) => [
      'destination',
      'add',
      'stuck',
      name,
      '--set',
      `path=${join(world.root, name)}`,
      '--set',
      `hangFile=${join(world.root, `${name}.hang`)}`,
      '--set',
      'hangAfterWrites=2',
    ];
    const steps = [
      ['plugins', 'add', fixturePlugin('lifeboat-plugin-never-answers')],
      stuck('nas'),
      stuck('nas2'),
      ['plan', 'add', 'timed', '--source', 'photos', '--destination', 'drive-a', '--destination', 'nas'],
      ['plan', 'add', 'stopped', '--source', 'photos', '--destination', 'drive-b', '--destination', 'nas2'],
    ];
    for (const args of steps) {
      const result = await world.cli(args, { timeoutMs: 120_000 });
      if (result.code !== 0) throw new Error(result.describe());
    }
    await editDestination(world.home, 'nas', (d) => {
      d.callTimeoutSeconds = 5; // short, yet above a healthy call on a loaded machine
    });
  }, 240_000);
  afterAll(() => world?.cleanup());

  it('fails the hung destination by name at its deadline and records every copy the healthy one made', async () => {
    const result = await world.cli(['run', 'timed', '--json'], { timeoutMs: 120_000 });
    expect(result.code, result.describe()).toBe(1);
    const report = result.json<Report>();
    const [driveA, nas] = ['drive-a', 'nas'].map((n) => report.destinations.find((d) => d.name === n)!);
    expect(driveA).toMatchObject({ filesCopied: photos });
    expect(driveA!.error).toBeUndefined();
    expect(nas!.error).toMatchObject({
      code: 'LIFEBOAT_PLUGIN_TIMEOUT',
      message: expect.stringMatching(/^Destination "nas" did not answer within 5 s \(/),
    });
    // What nas finished before it hung is recorded, and nothing more.
    // It hangs after two writes: photos, or a photo's sidecar or index write, so it may have every photo by then.
    expect(nas!.filesCopied).toBeGreaterThanOrEqual(1);
    expect(nas!.filesCopied).toBeLessThanOrEqual(photos);
    expect(copiesOn(world.home, 'nas')).toBe(nas!.filesCopied);
    expect(copiesOn(world.home, 'drive-a')).toBe(photos);
    expect((await walkFiles(join(world.root, 'drive-a'))).length).toBe(photos);
  }, 120_000);

  it('SIGTERM during a hung call ends the run within seconds: finished copies recorded, lock released', async () => {
    const hangFile = join(world.root, 'nas2.hang');
    // nas2 has the default deadline (minutes): only the stop can end this run soon.
    const child = spawnRun('stopped', { home: world.home });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (!existsSync(`${hangFile}.hanging`)) await sleep(100);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(Date.now() - stoppedAt, stderr).toBeLessThan(20_000);
    expect(code, stderr).not.toBe(0);
    expect(stderr).toMatch(/Stopping/);
    expect(stderr).toMatch(/The run was stopped before it finished/);
    const before = { drive: copiesOn(world.home, 'drive-b'), nas: copiesOn(world.home, 'nas2') };
    expect(before.nas).toBeGreaterThanOrEqual(2);
    // drive-b goes at its own pace (durable writes, a sidecar each): how far it got says nothing; that its
    // finished copies are recorded is what the next run proves, copying only the rest.

    // The lock is free (no --wait: a held lock refuses at once), and what was recorded is not copied again.
    await rm(hangFile);
    await editDestination(world.home, 'nas2', (d) => {
      d.settings.hangAfterWrites = 0;
    });
    const again = await world.cli(['run', 'stopped', '--json'], { timeoutMs: 120_000 });
    expect(again.code, again.describe()).toBe(0);
    const report = again.json<Report>();
    expect(report.destinations.find((d) => d.name === 'nas2')?.filesCopied).toBe(photos - before.nas);
    expect(report.destinations.find((d) => d.name === 'drive-b')?.filesCopied).toBe(photos - before.drive);
  }, 120_000);
});
