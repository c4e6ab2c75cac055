/**
 * Issue 14, the engine's side: against the simulated iCloud (instant profile, small libraries, faults through
 * its live switches) the built CLI copies while it lists, honours a 503's Retry-After, lowers its concurrency
 * after 503s and raises it again, and holds `--bwlimit`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '@lifeboat/icloud-sim';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createIcloudWorld,
  expectedFiles,
  type IcloudWorld,
  listedStates,
  verifyDrive,
} from '../icloud/icloud-world.js';

interface Sample {
  at: number;
  queries: number;
  downloads: number;
  throttled: number;
  bytes: number;
}

/** Reads the simulator's counters every few ms while a run goes: what the server saw, and when. */
function watch(sim: Simulator, everyMs = 5) {
  const samples: Sample[] = [];
  const take = () => {
    const { responses } = sim.counters.snapshot();
    samples.push({
      at: performance.now(),
      queries: sim.counters.requests('records/query', true),
      downloads: sim.counters.requests('download'),
      throttled: responses['download 503'] ?? 0,
      bytes: sim.counters.totalBytes,
    });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

interface Summary {
  ok: boolean;
  filesCopied: number;
  bytesCopied: number;
  durationMs: number;
  concurrency: { sources: Record<string, { initial: number; lowest: number; highest: number; final: number }> };
}

describe('an iCloud run that streams and adapts', () => {
  let world: IcloudWorld | undefined;
  afterEach(async () => {
    await world?.cleanup();
    world = undefined;
  });

  const runJson = async (w: IcloudWorld, extra: string[] = []) => {
    const result = await w.cli(['run', 'main', '--json', ...extra]);
    if (result.code !== 0) throw new Error(`run failed:\n${result.describe()}`);
    return result.json<Summary>();
  };

  it('copies the first files while the listing is still running', async () => {
    world = await createIcloudWorld({ sim: { assets: 400, seed: 3 }, drives: ['drive-a'] });
    const { sim } = world;
    sim.counters.reset();
    sim.faults.latencyMs = 30; // each page and each download takes a while, as on the real network
    const watcher = watch(sim);
    const summary = await runJson(world);
    const samples = watcher.stop();
    const first = samples.find((s) => s.downloads > 0)!;
    const total = samples.at(-1)!.queries;
    expect(summary.ok).toBe(true);
    // Listing 400 assets takes several pages; the first download came before the last of them was asked for.
    expect(total).toBeGreaterThanOrEqual(4);
    expect(first.queries).toBeLessThan(total);
    const expected = expectedFiles(sim.library, listedStates(sim.library));
    expect((await verifyDrive(world.drives[0]!.path, expected)).problems).toEqual([]);
  });

  it('sends nothing to the server that answered 503 with Retry-After before that time passed', async () => {
    world = await createIcloudWorld({ sim: { assets: 60, seed: 5 }, drives: ['drive-a'] });
    const { sim } = world;
    sim.counters.reset();
    Object.assign(sim.faults, { throttle: 1, throttleScope: 'download', throttleRetryAfterSeconds: 2 });
    const watcher = watch(sim);
    const summary = await runJson(world);
    const samples = watcher.stop();
    expect(summary.ok).toBe(true);
    const refused = samples.find((s) => s.throttled > 0);
    expect(refused, 'the simulator answered a 503').toBeDefined();
    // Downloads already on their way when the 503 left may still arrive in the first moments; none after.
    const settled = samples.find((s) => s.at >= refused!.at + 100)!;
    const beforeEnd = samples.filter((s) => s.at <= refused!.at + 1900).at(-1)!;
    expect(beforeEnd.downloads).toBe(settled.downloads);
    const resumed = samples.find((s) => s.downloads > settled.downloads)!;
    expect(resumed.at - refused!.at).toBeGreaterThanOrEqual(1950);
    const expected = expectedFiles(sim.library, listedStates(sim.library));
    expect((await verifyDrive(world.drives[0]!.path, expected)).problems).toEqual([]);
  });

  it('lowers its concurrency after 503s, then raises it again while the server copes', async () => {
    world = await createIcloudWorld({ sim: { assets: 300, seed: 7 }, drives: ['drive-a'] });
    const { sim } = world;
    sim.counters.reset();
    Object.assign(sim.faults, { latencyMs: 15, throttle: 3, throttleScope: 'download' });
    const summary = await runJson(world);
    expect(summary.ok).toBe(true);
    const limit = summary.concurrency.sources[world.source]!;
    expect(limit.lowest).toBeLessThan(limit.initial); // three 503s in one burst: halved once, 4 -> 2
    expect(limit.final).toBeGreaterThan(limit.lowest); // and back up once throughput grew again
    expect(sim.counters.snapshot().responses['download 503']).toBe(3);
  });

  it('holds --bwlimit within 10% of the asked rate', async () => {
    // Few, larger files: the time a file costs besides its bytes (a request, an fsync) stays small beside them.
    world = await createIcloudWorld({ sim: { assets: 30, seed: 9, sizeScale: 4 }, drives: ['drive-a'] });
    const { sim } = world;
    const drive = world.drives[0]!.path;
    const expected = expectedFiles(sim.library, listedStates(sim.library));
    const bytes = expected.reduce((sum, f) => sum + f.size, 0);
    const rate = Math.round(bytes / 7); // about seven seconds of copying, slow enough for a busy machine to keep up
    // Measured where the bytes land (temp files included): what the server sent may still sit in socket buffers.
    const landed: { at: number; bytes: number }[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        // A walk takes a while on a busy machine: its bytes are as of its middle, not its start.
        const start = performance.now();
        const bytes = await bytesUnder(drive);
        landed.push({ at: (start + performance.now()) / 2, bytes });
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const summary = await runJson(world, ['--bwlimit', String(rate)]).finally(() => (polling = false));
    await poll;
    expect(summary.ok).toBe(true);
    expect(summary.bytesCopied).toBe(bytes);
    // From the first bytes landing to the last: over seconds, the bucket's burst and the walks' timing are noise.
    const first = landed.find((s) => s.bytes > 0)!;
    const last = landed.find((s) => s.bytes >= landed.at(-1)!.bytes)!;
    const measured = (last.bytes - first.bytes) / ((last.at - first.at) / 1000);
    expect(measured / rate).toBeGreaterThan(0.9);
    expect(measured / rate).toBeLessThan(1.1);
    expect((await verifyDrive(drive, expected)).problems).toEqual([]);
  });
});

/**
 * Bytes in every file under `dir` but Lifeboat's own (index, marker, sidecars), writes in progress included. A write that
 * commits between the folder's listing and a stat would go missing from the sum: then the walk starts over.
 */
async function bytesUnder(dir: string): Promise<number> {
  for (;;) {
    let sum = 0;
    let raced = false;
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(e.parentPath, e.name);
      // Writes in progress are `.part` files under .lifeboat/: counted, so bytes show as they land, not per file.
      // Sidecars are not what --bwlimit paces (it paces what is read from the source): left out.
      if (!e.isFile() || (path.includes('/.lifeboat/') && !path.endsWith('.part')) || path.endsWith('.xmp')) continue;
      const size = await stat(path).then(
        (s) => s.size,
        () => undefined,
      );
      if (size === undefined) raced = true;
      else sum += size;
    }
    if (!raced) return sum;
  }
}
