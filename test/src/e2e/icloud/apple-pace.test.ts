/**
 * Smoke test of the simulator's apple profile with the built CLI: a 200-asset library backed up at Apple's pace
 * (latencies, per-connection rate, concurrency limits with 503 + Retry-After), its numbers scaled down so the run
 * stays short. The backup completes, every file is byte-identical, and no request ignored a Retry-After. Speed
 * figures at full pace belong to `npm run bench`, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcloudWorld, expectedFiles, type IcloudWorld, listedStates, verifyDrive } from './icloud-world.js';

const ASSETS = 200;

describe(`a ${ASSETS}-asset backup against the apple profile`, () => {
  let world: IcloudWorld;

  beforeAll(async () => {
    world = await createIcloudWorld({
      drives: ['drive-a'],
      sim: {
        assets: ASSETS,
        seed: 14,
        sharedAssets: 0,
        sizeScale: 0.1,
        profile: 'apple',
        // Apple's waits divided by 10-20 and its rate times ten; limits, Retry-After and the penalty as Apple's.
        pace: {
          cloudkitLatencyMs: 150,
          apiLatencyMs: 30,
          downloadLatencyMs: 25,
          downloadBytesPerSecond: 50_000_000,
        },
      },
    });
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('copies every file with 0 Retry-After violations', async () => {
    const { sim } = world;
    expect(sim.profile).toBe('apple');
    expect(sim.pace.maxConcurrentDownloads).toBeGreaterThan(0);
    sim.counters.reset();
    const report = await world.runOk();
    expect(report.failures).toEqual([]);
    const expected = expectedFiles(sim.library, listedStates(sim.library));
    expect(report.filesCopied).toBe(expected.length);
    const { problems } = await verifyDrive(world.drives[0]!.path, expected);
    expect(problems).toEqual([]);
    const counters = sim.counters.snapshot();
    expect(counters.retryAfterViolations).toBe(0);
    // Every file came from the content host (only it counts `download`), each after the profile's first-byte wait.
    expect(counters.requests.download).toBeGreaterThanOrEqual(expected.length);
  });
});
