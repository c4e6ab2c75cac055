/**
 * Issue 19's unattended side, through the built CLI against the simulated iCloud (two drives + an offsite drive,
 * verified): `offload --yes` sends `assets-offloaded` with the count and bytes; `restore --offloaded` brings back
 * exactly the moved photos from the copies, byte-identical; the daemon offloads after a run only when the plan says
 * so, logs a dry run unless moving was turned on, and then moves by the same rule and notifies.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { daemonLines, killDaemons, startDaemon } from '../schedule/daemon-harness.js';
import { hookCommand } from '../schedule/notify-harness.js';
import { createIcloudWorld, expectedFiles, type IcloudWorld } from './icloud-world.js';
import { backUpWithOffsiteVault } from './offload-world.js';

interface OffloadJson {
  moved: number;
  bytes: number;
  assets: { assetId: string; moved: boolean; bytes: number }[];
}

/** sha256 of every photo under `dir`, sorted (sidecars left out: they are counted on their own). */
async function hashesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.xmp')) continue;
    out.push(
      createHash('sha256')
        .update(await readFile(join(entry.parentPath, entry.name)))
        .digest('hex'),
    );
  }
  return out.sort();
}

describe('offload, unattended: the event, restore --offloaded and the daemon', () => {
  let world: IcloudWorld;
  let hook: Awaited<ReturnType<typeof hookCommand>>;
  const modifies = () => world.sim.counters.requests('ck private records/modify');
  const inTrash = (assetId: string) => world.sim.library.state(world.sim.library.find(assetId)!).isDeleted;
  const offloadEvents = () => hook.events().filter((e) => e.type === 'assets-offloaded');
  const moved: string[] = [];

  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 10, seed: 23 } });
    hook = await hookCommand(world.root);
    await backUpWithOffsiteVault(world, [['plan', 'set', 'main', '--notify-command', hook.command]]);
  }, 120_000);
  afterEach(killDaemons);
  afterAll(() => world?.cleanup());

  it('offload --yes sends assets-offloaded with the count and bytes moved; a dry run sends none', async () => {
    const dry = await world.cli(['offload', world.source, '--json']);
    expect(dry.code, dry.describe()).toBe(0);
    expect(offloadEvents()).toEqual([]);
    const r = await world.cli(['offload', world.source, '--yes', '--max', '2', '--json']);
    expect(r.code, r.describe()).toBe(0);
    const report = r.json<OffloadJson>();
    expect(report.moved).toBe(2);
    const done = report.assets.filter((a) => a.moved);
    moved.push(...done.map((a) => a.assetId));
    const [event, ...more] = offloadEvents();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'assets-offloaded',
      plan: 'main',
      source: world.source,
      count: 2,
      bytes: done.reduce((n, a) => n + a.bytes, 0),
      stopped: false,
    });
    expect(event!.bytes).toBeGreaterThan(0);
  });

  it('restore --offloaded brings back exactly the moved photos from a copy, byte-identical', async () => {
    expect(moved.length).toBe(2);
    const to = join(world.root, 'restored');
    const r = await world.cli(['restore', '--from', 'vault', '--offloaded', '--to', to, '--json']);
    expect(r.code, r.describe()).toBe(0);
    const library = world.sim.library;
    const want = expectedFiles(
      library,
      moved.map((id) => library.state(library.find(id)!)),
    );
    expect(await hashesUnder(to)).toEqual(want.map((f) => f.sha256).sort());
    // Each restored photo comes back with its sidecar.
    expect(r.json<{ sidecarsRestored: number }>().sidecarsRestored).toBe(want.length);
    // Nothing offloaded after tomorrow: a clear refusal, nothing written.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await world.cli([
      'restore',
      '--from',
      'vault',
      '--offloaded-since',
      tomorrow,
      '--to',
      join(world.root, 'none'),
    ]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain(`No photo was offloaded since ${tomorrow}`);
  });

  it('the daemon offloads only when the plan says so: a logged dry run, then moves when turned on', async () => {
    const refused = await world.cli(['plan', 'set', 'main', '--offload', 'older-than=banana']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('older-than "banana" is not a duration');
    const set = await world.cli(['plan', 'set', 'main', '--schedule', 'every 2s', '--offload', 'max=1']);
    expect(set.code, set.describe()).toBe(0);
    expect(set.stdout).toContain('dry run only');
    const before = modifies();
    let daemon = startDaemon({ home: world.home, env: world.env });
    const dry = (await daemon.waitFor((l) => (l as { offload?: string }).offload === 'dry-run', 60_000)) as {
      wouldMove?: number;
      moved?: number;
      message: string;
    };
    expect((await daemon.stop()).code).toBe(0);
    expect(dry.wouldMove).toBe(1);
    expect(dry.moved).toBe(0);
    expect(dry.message).toContain('would move 1 photos');
    expect(modifies()).toBe(before);
    expect(offloadEvents().length).toBe(1);

    const on = await world.cli(['plan', 'set', 'main', '--offload-move', 'on']);
    expect(on.code, on.describe()).toBe(0);
    expect(on.stdout).toContain('MOVES photos');
    const linesBefore = daemonLines(world.home).length;
    daemon = startDaemon({ home: world.home, env: world.env });
    const line = (await daemon.waitFor(
      (l, i) => i >= linesBefore && (l as { offload?: string }).offload === 'moved',
      60_000,
    )) as { moved?: number; source?: string };
    await daemon.waitFor((l, i) => i >= linesBefore && l.notified === 'assets-offloaded', 30_000);
    expect((await daemon.stop()).code).toBe(0);
    expect(line).toMatchObject({ moved: 1, source: world.source });
    expect(modifies()).toBeGreaterThan(before);
    const events = offloadEvents();
    expect(events.length).toBe(2);
    expect(events[1]).toMatchObject({ count: 1, source: world.source });
    expect(moved.every(inTrash)).toBe(true);
  });
});
