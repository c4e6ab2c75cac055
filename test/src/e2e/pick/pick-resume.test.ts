/**
 * A pick cut off by dropped connections (the simulator cuts every download after 4 KiB) stops with the part it
 * got kept on disk; the same command again asks only for the rest (Range), and the simulator's byte counters prove
 * that only the missing part came again: nothing that had arrived was downloaded twice.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { contentSha256 } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, walkFiles } from '../cli.js';
import { createPickWorld, listed, type PickReport, type PickWorld } from './pick-world.js';

let world: PickWorld;
beforeAll(async () => {
  world = await createPickWorld({ assets: 30, seed: 5 });
});
afterAll(() => world?.cleanup());

describe('an interrupted pick', () => {
  it('resumes where it stopped: the second run downloads exactly the missing bytes', async () => {
    const { sim } = world;
    const all = listed(sim.library);
    const names = all.map((s) => s.spec.filename);
    const target = all.find(
      (s) =>
        s.spec.kind === 'photo' &&
        s.spec.resources[0]!.size > 120_000 &&
        names.filter((n) => n === s.spec.filename).length === 1,
    );
    expect(target, 'a large photo with a unique name').toBeDefined();
    const content = sim.library.content(target!, 'resOriginalRes')!;
    const args = ['restore', '--from', world.source, '--match', target!.spec.filename, '--include', 'none'];
    const to = join(world.root, 'picked');

    // Every connection drops after 4 KiB: the downloader resumes a few times, then gives up for this run.
    Object.assign(sim.faults, { truncateDownloads: 1_000, truncateMode: 'reset', truncateAfterBytes: 4096 });
    sim.counters.reset();
    const first = await world.cli([...args, '--to', to, '--json']);
    expect(first.code, first.describe()).toBe(1);
    expect(first.json<PickReport>().failures).toHaveLength(1);
    const partials = (await walkFiles(to, { includeMeta: true })).filter((f) => f.endsWith('.lifeboat-partial'));
    expect(partials).toHaveLength(1);
    const kept = (await stat(join(to, partials[0]!))).size;
    const servedFirst = sim.counters.bytesFor(target!.spec.assetId, 'resOriginalRes');
    const requestsFirst = sim.counters.snapshot().downloads[target!.spec.assetId]?.resOriginalRes ?? 0;
    expect(requestsFirst).toBeGreaterThan(1); // it resumed within the run too
    expect(kept).toBeGreaterThan(4096);
    expect(kept).toBeLessThan(content.size);
    // What was served and not kept is what was in flight when a connection dropped.
    expect(servedFirst - kept).toBeLessThanOrEqual(requestsFirst * 4096);

    // The connection is back.
    Object.assign(sim.faults, { truncateDownloads: 0, truncateMode: 'clean', truncateAfterBytes: null });
    sim.counters.reset();
    const second = await world.cli([...args, '--to', to, '--json']);
    expect(second.code, second.describe()).toBe(0);
    const report = second.json<PickReport>();
    expect(report.resumed).toBe(1);
    expect(report.bytesDownloaded).toBe(content.size - kept);
    expect(sim.counters.bytesFor(target!.spec.assetId, 'resOriginalRes')).toBe(content.size - kept);
    expect(sim.counters.snapshot().downloads[target!.spec.assetId]?.resOriginalRes).toBe(1);
    const file = join(to, report.files[0]!.key);
    expect(await sha256File(file)).toBe(contentSha256(content));
    const leftovers = (await walkFiles(to, { includeMeta: true })).filter((f) => f.endsWith('.lifeboat-partial'));
    expect(leftovers).toEqual([]);
    // The file and its sidecar, nothing else (no partial or temp file).
    expect((await readdir(join(to, report.files[0]!.key, '..'))).sort()).toEqual(
      [report.files[0]!.key, report.files[0]!.sidecar].map((k) => basename(k!)).sort(),
    );
  }, 120_000);
});
