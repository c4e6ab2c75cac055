/**
 * Command-line conventions: results on stdout (so `lifeboat run p > log` keeps the summary), diagnostics on
 * stderr, each problem said once per run, correct plurals, local times in text and ISO in --json.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupWorld, createBackupWorld } from './world.js';

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/;
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('CLI conventions', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 1, seed: 7 }, ['drive-a']);
  });
  afterAll(() => world?.cleanup());

  it('`run` prints its summary on stdout, with "1 file" not "1 files"', async () => {
    const run = await world.cli(['run', 'main'], { env: { TZ: 'Europe/Paris' } });
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toMatch(/^Backup complete: 1 file \(.+\) copied in .+; 1 file in the sources\.$/m);
    expect(run.stdout).toMatch(/^ {2}drive-a: 1 file, /m);
    expect(run.stderr).not.toContain('Backup complete');
  });

  it('`status` shows local times in text and ISO times in --json', async () => {
    const text = await world.cli(['status'], { env: { TZ: 'Asia/Tokyo' } });
    expect(text.stdout).toMatch(/Plan main: last success \d{4}-\d\d-\d\d \d\d:\d\d:\d\d (JST|GMT\+9)/);
    expect(text.stdout).not.toMatch(ISO);
    const json = await world.cli(['status', '--json']);
    expect(json.json<{ plans: { lastSuccess: string }[] }>().plans[0]!.lastSuccess).toMatch(ISO);
  });

  it('`restore` prints its summary on stdout', async () => {
    const to = join(world.root, 'restored');
    const restore = await world.cli(['restore', '--from', 'drive-a', '--to', to]);
    expect(restore.code, restore.describe()).toBe(0);
    expect(restore.stdout).toMatch(/^Restored: 1 of 1 matching file \(/m);
    expect(restore.stderr).not.toContain('Restored');
  });

  it('a missing drive is said once: FAILED with its code on stdout, the problem and what to do once on stderr', async () => {
    const drive = world.drives[0]!;
    await rename(drive.path, `${drive.path}.away`);
    try {
      const run = await world.cli(['run', 'main']);
      expect(run.code, run.describe()).toBe(1);
      expect(run.stdout).toMatch(/^ {2}drive-a: FAILED \[LIFEBOAT_DEST_UNAVAILABLE\]$/m);
      const all = run.stdout + run.stderr;
      expect(occurrences(all, 'is not available'), run.describe()).toBe(1);
      expect(occurrences(all, 'what to do:'), run.describe()).toBe(1);
      expect(run.stderr).toContain('lifeboat: destination "drive-a" skipped:');
      const status = await world.cli(['status']);
      expect(status.stdout).toMatch(/last failure \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    } finally {
      await rename(`${drive.path}.away`, drive.path);
    }
  });
});
