/**
 * Done-when 4: a CLI run through 503 bursts, a 421 (session revoked) in the middle, truncated bodies (clean end
 * and cut connection) and expired download URLs exits 0 with every copy verified against the simulator's bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcloudWorld, expectedFiles, type IcloudWorld, listedStates, verifyDrive } from './icloud-world.js';

describe('an iCloud run through faults', () => {
  let world: IcloudWorld;
  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 150, seed: 17 } });
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('completes with exit 0 and every copy byte-identical', async () => {
    const { sim } = world;
    sim.counters.reset();
    // At the start: a 503 burst on everything, a session revoked after a few CloudKit calls (421 mid-listing),
    // cut bodies that end cleanly (only a size check notices) and expired download URLs (410).
    Object.assign(sim.faults, {
      throttle: 3,
      throttleScope: 'all',
      expireSessionsAfter: 4,
      truncateDownloads: 3,
      truncateMode: 'clean',
      expireDownloadUrls: 2,
    });
    // In the middle of the downloads: another 503 burst, a revoked session and connections cut after the headers.
    let midRun = false;
    const timer = setInterval(() => {
      if (!midRun && sim.counters.totalDownloads >= 60) {
        midRun = true;
        Object.assign(sim.faults, {
          throttle: 4,
          throttleScope: 'download',
          truncateDownloads: 3,
          truncateMode: 'reset',
          expireDownloadUrls: 2,
        });
        sim.expireSessions();
      }
    }, 5);
    let result: Awaited<ReturnType<IcloudWorld['cli']>>;
    try {
      result = await world.cli(['run', 'main', '--json']);
    } finally {
      clearInterval(timer);
    }
    expect(result.code, result.describe()).toBe(0);
    const report = result.json<{ ok: boolean; failures: unknown[]; filesCopied: number }>();
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);

    // Every fault was met.
    expect(midRun, 'the mid-run faults fired').toBe(true);
    const responses = sim.counters.snapshot().responses;
    const count = (re: RegExp) =>
      Object.entries(responses)
        .filter(([key]) => re.test(key))
        .reduce((n, [, v]) => n + v, 0);
    expect(count(/ 503$/), JSON.stringify(responses)).toBe(7);
    expect(count(/^ck .* 421$/), JSON.stringify(responses)).toBeGreaterThanOrEqual(1);
    expect(count(/^download 410$/), JSON.stringify(responses)).toBe(4);
    expect(sim.faults.truncateDownloads).toBe(0);
    expect(sim.faults.expireDownloadUrls).toBe(0);

    const expected = expectedFiles(sim.library, listedStates(sim.library));
    expect(report.filesCopied).toBe(expected.length);
    for (const drive of world.drives) {
      const { problems, index } = await verifyDrive(drive.path, expected);
      expect(problems, drive.name).toEqual([]);
      expect(index.length, drive.name).toBe(expected.length);
    }
  }, 150_000);
});
