/**
 * Issue 8, benchmark 2 (and issue 4's CLI figure): an incremental run with nothing to do on a 100,000-asset
 * library (at --scale 1), through the CLI, after a first full run of the same library in the same run (its
 * baseline). Files are the simulator's smallest (sizeScale 0.001), so bytes do not dominate the first run.
 * Targets: the no-op run under 5 s; its requests independent of the library's size (at most 10).
 * Then the same no-op once more at Apple's pace (issue 14: the simulator switched live to its `apple` profile;
 * the first run stays instant, as 100,000 assets listed at 3 s a page would take most of an hour): under 5 s and
 * at most 3 CloudKit requests.
 */

import { PROFILES, type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { icloudScene, totalRequests } from './icloud-scene.js';
import { measuredRun } from './measure.js';
import { type Figure, ratio } from './report.js';

const TARGET_SECONDS = 5;
const TARGET_REQUESTS = 10;
const TARGET_CLOUDKIT_REQUESTS = 3;

/** CloudKit requests (the simulator labels them `ck private ...`, `ck shared ...`). */
const cloudkitRequests = (sim: Simulator) =>
  Object.entries(sim.counters.snapshot().requests)
    .filter(([label]) => label.startsWith('ck '))
    .reduce((sum, [, n]) => sum + n, 0);

export async function noopBench(scale: number): Promise<Figure[]> {
  const assets = Math.max(1000, Math.round(100_000 * scale));
  console.log(`[no-op] ${assets} assets: a first full run, then an incremental run with nothing to copy`);
  const sim = await startSimulator({ assets, seed: 1, sizeScale: 0.001, sharedAssets: 0 });
  const root = await makeTempDir('lifeboat-bench-noop-');
  try {
    const cli = await icloudScene(sim, root, { drives: 2 });
    sim.counters.reset();
    const first = await measuredRun('main', cli);
    const firstRequests = totalRequests(sim);
    console.log(
      `  first run: ${first.seconds.toFixed(1)} s, ${first.report.filesCopied} files, ${firstRequests} requests`,
    );
    sim.counters.reset();
    const noop = await measuredRun('main', cli);
    const snapshot = sim.counters.snapshot();
    const requests = totalRequests(sim);
    if (noop.report.filesCopied !== 0) throw new Error(`the no-op run copied ${noop.report.filesCopied} files`);
    if (noop.report.listed !== assets)
      throw new Error(`the no-op run listed ${noop.report.listed} of ${assets} assets`);
    console.log(
      `  no-op run: ${noop.seconds.toFixed(2)} s, ${requests} requests, ${snapshot.totalBytes} bytes downloaded`,
    );
    const noopCloudkit = cloudkitRequests(sim);
    Object.assign(sim.pace, PROFILES.apple);
    sim.counters.reset();
    const paced = await measuredRun('main', cli);
    const pacedCloudkit = cloudkitRequests(sim);
    const pacedSnapshot = sim.counters.snapshot();
    if (paced.report.filesCopied !== 0) throw new Error(`the paced no-op run copied ${paced.report.filesCopied} files`);
    console.log(
      `  no-op run at Apple's pace: ${paced.seconds.toFixed(2)} s, ${pacedCloudkit} CloudKit requests ` +
        `(${totalRequests(sim)} in all)`,
    );
    const details = {
      assets,
      firstRun: {
        seconds: first.seconds,
        requests: firstRequests,
        files: first.report.filesCopied,
        peakRssBytes: first.peakRss,
      },
      noopRun: { seconds: noop.seconds, requests, byEndpoint: snapshot.requests, bytes: snapshot.totalBytes },
      peakRssBytes: noop.peakRss,
      applePace: {
        seconds: paced.seconds,
        cloudkitRequests: pacedCloudkit,
        byEndpoint: pacedSnapshot.requests,
        peakRssBytes: paced.peakRss,
      },
    };
    return [
      {
        bench: 'incremental no-op',
        label: `lifeboat run, nothing new, ${assets} assets: wall time`,
        value: noop.seconds,
        unit: 's',
        baseline: { label: `first full run (${first.report.filesCopied} files)`, value: first.seconds },
        ratio: ratio(noop.seconds, first.seconds),
        ratioMeaning: 'of first run',
        target: { text: `< ${TARGET_SECONDS} s`, met: noop.seconds < TARGET_SECONDS },
        details,
      },
      {
        bench: 'incremental no-op',
        label: `lifeboat run, nothing new, ${assets} assets: requests`,
        value: requests,
        unit: 'requests',
        baseline: { label: 'first full run', value: firstRequests },
        ratio: ratio(requests, firstRequests),
        ratioMeaning: 'of first run',
        target: { text: `<= ${TARGET_REQUESTS} requests`, met: requests <= TARGET_REQUESTS },
      },
      {
        bench: 'incremental no-op',
        label: `same no-op at Apple's pace, ${assets} assets: wall time`,
        value: paced.seconds,
        unit: 's',
        baseline: { label: 'the no-op above (instant)', value: noop.seconds },
        ratio: ratio(paced.seconds, noop.seconds),
        ratioMeaning: 'x instant',
        target: { text: `< ${TARGET_SECONDS} s`, met: paced.seconds < TARGET_SECONDS },
      },
      {
        bench: 'incremental no-op',
        label: `same no-op at Apple's pace, ${assets} assets: CloudKit requests`,
        value: pacedCloudkit,
        unit: 'requests',
        baseline: { label: 'the no-op above (instant)', value: noopCloudkit },
        ratio: ratio(pacedCloudkit, noopCloudkit),
        ratioMeaning: 'x instant',
        target: { text: `<= ${TARGET_CLOUDKIT_REQUESTS} requests`, met: pacedCloudkit <= TARGET_CLOUDKIT_REQUESTS },
      },
    ];
  } finally {
    await sim.stop();
    await removeDir(root);
  }
}
