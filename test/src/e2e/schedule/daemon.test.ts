import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '@lifeboat/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../../fixtures/photo-folder.js';
import { hashTree } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import {
  catalogRuns,
  daemonLines,
  expectOneRunPerSlot,
  killDaemons,
  leftovers,
  startDaemon,
} from './daemon-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lifeboat daemon', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 30, seed: 61 });
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'every 2s']);
    expect(set.code, set.describe()).toBe(0);
  });
  afterEach(killDaemons);
  afterAll(() => world?.cleanup());

  it('runs the plan once per slot for a bounded time, then stops on SIGTERM with exit 0 and no partial file', async () => {
    const daemon = startDaemon({ home: world.home });
    const first = await daemon.waitFor((l) => l.run === 'finished');
    const firstAt = Date.parse(first.at);
    await sleep(2500);
    const added = await addPhotos(world.source, 10, 62); // picked up by the next slot
    await sleep(4200);
    const stoppedAt = Date.now();
    const { code, signal } = await daemon.stop();
    expect({ code, signal }, daemon.stderr()).toEqual({ code: 0, signal: null });

    expectOneRunPerSlot(world.home, 'main', { firstAt, stoppedAt });

    // Everything, including the photos added while it ran, is on both drives, and nothing partial is left.
    const expectedHashes = [...world.manifest, ...added].map((e) => e.sha256).sort();
    for (const drive of world.drives) {
      expect(await leftovers(drive.path)).toEqual([]);
      expect([...(await hashTree(drive.path)).values()].sort()).toEqual(expectedHashes);
    }
  }, 40_000);

  it('catches up the slots missed while it was down with one run, not one per slot', async () => {
    const before = daemonLines(world.home).length;
    await sleep(5000); // at least two 2 s slots pass with no daemon
    const daemon = startDaemon({ home: world.home });
    const catchUp = await daemon.waitFor((l, i) => l.run === 'started' && i >= before);
    await daemon.waitFor((l) => l.run === 'finished' && l.slot === catchUp.slot);
    const { code } = await daemon.stop();
    expect(code).toBe(0);
    expect(catchUp.missed).toBeGreaterThanOrEqual(2);
    expect(catchUp.message).toContain(`catching up ${catchUp.missed} missed slots with one run`);
    const newRuns = daemonLines(world.home)
      .slice(before)
      .filter((l) => l.run === 'started');
    expect(newRuns[0]).toEqual(catchUp);
    expect(newRuns.filter((l) => l.slot === catchUp.slot)).toHaveLength(1);
    // The missed slots themselves were never run: the catch-up stands for all of them.
    expect(newRuns.filter((l) => Date.parse(l.slot!) < Date.parse(catchUp.slot!))).toEqual([]);
  }, 30_000);

  it('shares the plan lock: a slot that comes while another process holds the plan is skipped, clearly', async () => {
    // The very lock `lifeboat run` takes (same file, same module), held here by the test process.
    const release = await acquireLock(join(world.home, 'locks', 'plan-main.lock'), 'Plan "main"');
    const before = daemonLines(world.home).length;
    const daemon = startDaemon({ home: world.home });
    try {
      const skipped = await daemon.waitFor((l, i) => i >= before && l.run === 'skipped');
      expect(skipped.message).toContain(`Plan "main" is already running (process ${process.pid}`);
    } finally {
      await release();
    }
    const ran = await daemon.waitFor((l, i) => i >= before && l.run === 'finished');
    expect(ran.ok).toBe(true);
    expect((await daemon.stop()).code).toBe(0);
  }, 30_000);

  it('lets one of two concurrent `lifeboat run` of the same plan run; the other refuses, naming the holder', async () => {
    await addPhotos(world.source, 40, 63, { sizes: { min: 2_000_000, max: 4_000_000 } });
    const [a, b] = await Promise.all([world.cli(['run', 'main']), world.cli(['run', 'main'])]);
    const refused = [a, b].filter((r) => r.code !== 0);
    expect(refused, `${a.describe()}\n${b.describe()}`).toHaveLength(1);
    expect(refused[0]!.code).toBe(1);
    expect(refused[0]!.stderr).toMatch(/Plan "main" is already running \(process \d+, since /);
    expect(refused[0]!.stderr).toContain('[LIFEBOAT_LOCKED]');
  }, 40_000);

  it('`lifeboat run --wait` waits for the other run of the plan to finish, then runs', async () => {
    await addPhotos(world.source, 40, 65, { sizes: { min: 2_000_000, max: 4_000_000 } });
    const first = world.cli(['run', 'main']);
    // The first run holds the plan's lock before the second starts (a loaded machine may take seconds to start it).
    const lock = join(world.home, 'locks', 'plan-main.lock');
    const ended = first.then(() => true);
    while (!existsSync(lock) && !(await Promise.race([ended, sleep(20).then(() => false)])));
    const second = await world.cli(['run', 'main', '--wait', '2m']);
    expect(second.code, second.describe()).toBe(0);
    expect(second.stderr).toMatch(/Plan "main" is already running \(process \d+, since .*\); waiting for it to finish/);
    expect((await first).code).toBe(0);
    const [a, b] = catalogRuns(world.home, 'main').slice(-2);
    expect(b!.startedAt >= a!.finishedAt!, `${JSON.stringify([a, b])}`).toBe(true); // one after the other
  }, 40_000);

  it("runs the plan's scrub (lifeboat verify's sample check) when it is due", async () => {
    const set = await world.cli(['plan', 'set', 'main', '--scrub', 'every 2s', '--scrub-sample', '50']);
    expect(set.code, set.describe()).toBe(0);
    const before = daemonLines(world.home).length;
    const daemon = startDaemon({ home: world.home });
    const done = await daemon.waitFor((l, i) => i >= before && l.message.startsWith('scrub of "main" finished'));
    expect(done.message).toBe('scrub of "main" finished: ok');
    expect((await daemon.stop()).code).toBe(0);
    expect((await world.cli(['plan', 'set', 'main', '--scrub', 'off'])).code).toBe(0);
  }, 30_000);

  it('abandons an in-flight run cleanly on SIGTERM: exit 0, the run recorded as stopped, no partial file', async () => {
    await addPhotos(world.source, 60, 64, { sizes: { min: 2_000_000, max: 4_000_000 } });
    const before = daemonLines(world.home).length;
    const daemon = startDaemon({ home: world.home });
    await daemon.waitFor((l, i) => i >= before && l.run === 'started');
    await sleep(400);
    const { code } = await daemon.stop();
    expect(code, daemon.stderr()).toBe(0);
    const last = daemonLines(world.home)
      .filter((l) => l.run === 'finished')
      .at(-1);
    // ~180 MB to two drives, fsynced, cannot finish in 0.4 s: the run was stopped mid-copy and recorded so.
    expect(last).toMatchObject({ aborted: true, ok: false });
    expect(catalogRuns(world.home, 'main').at(-1)?.finishedAt).toBeTruthy();
    for (const drive of world.drives) expect(await leftovers(drive.path)).toEqual([]);
    // Whatever was copied is complete: every file under a final name has the bytes of a source file.
    const sourceHashes = new Set((await hashTree(world.source)).values());
    for (const drive of world.drives) {
      for (const [path, hash] of await hashTree(drive.path)) expect(sourceHashes.has(hash), path).toBe(true);
    }
  }, 40_000);
});
