/**
 * `lifeboat daemon` against the simulated iCloud: one run per 2 s slot for a bounded time, photos added in iCloud
 * meanwhile copied by a later slot, then SIGTERM: exit 0, no partial file, every resource on both drives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createIcloudWorld,
  expectedFiles,
  type IcloudWorld,
  listedStates,
  verifyDrive,
} from '../icloud/icloud-world.js';
import { daemonLines, expectOneRunPerSlot, killDaemons, leftovers, startDaemon } from './daemon-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lifeboat daemon with an iCloud source', () => {
  let world: IcloudWorld;
  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 16, seed: 91 } });
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'every 2s']);
    expect(set.code, set.describe()).toBe(0);
  });
  afterEach(killDaemons);
  afterAll(() => world?.cleanup());

  it('runs the plan once per slot, copies photos added in iCloud meanwhile, and stops on SIGTERM with exit 0', async () => {
    const library = world.sim.library;
    const initial = expectedFiles(library, listedStates(library));
    // The vault passphrase (world.env) is how the daemon reads the iCloud session outside the hermetic keyring.
    const daemon = startDaemon({ home: world.home, env: world.env });
    const first = await daemon.waitFor((l) => l.run === 'finished');
    const firstAt = Date.parse(first.at);
    expect(first).toMatchObject({ ok: true, filesCopied: initial.length });

    await sleep(2500);
    const linesAtAdd = daemonLines(world.home).length;
    const added = library.add(4);
    // Wait for a run that began after the add (it must list them), rather than trust a fixed delay to cover it.
    const pickedUp = await daemon.waitFor((l, i) => i >= linesAtAdd && l.run === 'started');
    await daemon.waitFor((l, i) => i >= linesAtAdd && l.run === 'finished' && l.slot === pickedUp.slot);
    await sleep(Math.max(0, firstAt + 6700 - Date.now())); // ~6.7 s of daemon life after the first run, as on folders
    const stoppedAt = Date.now();
    const { code, signal } = await daemon.stop();
    expect({ code, signal }, daemon.stderr()).toEqual({ code: 0, signal: null });

    const finished = expectOneRunPerSlot(world.home, 'main', { firstAt, stoppedAt });
    // Only the run SIGTERM cut short may be anything but ok (it has nothing left to copy by then).
    expect(
      finished.slice(0, -1).every((l) => l.ok === true),
      JSON.stringify(finished),
    ).toBe(true);
    expect(finished.at(-1)!.ok === true || finished.at(-1)!.aborted === true).toBe(true);

    // The added photos were copied once, by later slots: no run re-copied what an earlier one had.
    const newFiles = expectedFiles(
      library,
      added.map((i) => library.state(i)),
    );
    expect(newFiles.length).toBeGreaterThan(0);
    const later = finished.slice(1).reduce((n, l) => n + (l.filesCopied ?? 0), 0);
    expect(later).toBe(newFiles.length);

    // Everything the simulator serves now, added photos included, is on both drives byte for byte; nothing partial.
    const all = expectedFiles(library, listedStates(library));
    expect(all.length).toBe(initial.length + newFiles.length);
    for (const drive of world.drives) {
      expect(await leftovers(drive.path), drive.name).toEqual([]);
      const { problems, index, tree } = await verifyDrive(drive.path, all);
      expect(problems, drive.name).toEqual([]);
      // One key per resource. A key may have a later line too: an entry written again when the photo's albums or
      // metadata changed (the latest wins when the index is read).
      const keys = [...new Set(index.map((e) => e.key))].sort();
      expect(keys.length, drive.name).toBe(all.length);
      expect([...tree.keys()].sort()).toEqual(keys);
    }
  }, 60_000);
});
