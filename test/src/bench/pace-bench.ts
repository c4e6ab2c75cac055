/**
 * Issue 14, "Apple's pace": a first full backup of 20,000 assets (at --scale 1) from the simulated iCloud at its
 * `apple` profile to one disk, through the built CLI, twice in the same run: the streaming engine, and today's
 * strategy (list everything, then 4 fixed workers; LIFEBOAT_ENGINE_STRATEGY=list-first) as its baseline.
 * Targets: first copied byte < 5 s after the run starts (sign-in happens before, in the scene); total time ≤ 1.2×
 * the profile's limit (the least time any client needs under its rules, see `profileLimitSeconds`); 503s ≤ 1% of
 * requests; no request sent before a Retry-After passed (the simulator's violations: 0).
 */
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { makeTempDir, removeDir, spawnCli } from '../e2e/cli.js';
import { icloudScene, totalRequests } from './icloud-scene.js';
import { type Measured, measure, type RunReport } from './measure.js';
import { type Figure, ratio } from './report.js';

const TARGET_FIRST_BYTE_S = 5;
const TARGET_OF_LIMIT = 1.2;
const TARGET_REFUSED_PERCENT = 1;
/**
 * A quarter of the simulator's default sizes (originals of about 10-750 KB): the byte term of the limit stays
 * visible (about 10 s at the default scale) while the run ends in a few minutes on 2 CPUs.
 */
const SIZE_SCALE = 0.25;

interface PaceRun extends Measured {
  report: RunReport;
  /** Seconds from the run's start to the first body byte the content host wrote; NaN if none. */
  firstByte: number;
  limit: number;
  requests: number;
  refused: number;
  violations: number;
  peakInFlight: Record<string, number>;
}

/**
 * The least time any client needs under the profile's rules: each download waits downloadLatencyMs before its
 * first byte and at most maxConcurrentDownloads run at once, each at downloadBytesPerSecond; and nothing can be
 * downloaded before one CloudKit listing page answered.
 */
export function profileLimitSeconds(sim: Simulator, downloads: number, bytes: number): number {
  const p = sim.pace;
  return (
    (downloads * p.downloadLatencyMs) / p.maxConcurrentDownloads / 1000 +
    bytes / (p.maxConcurrentDownloads * p.downloadBytesPerSecond) +
    p.cloudkitLatencyMs / 1000
  );
}

async function paceRun(assets: number, strategy: 'streaming' | 'list-first'): Promise<PaceRun> {
  const sim = await startSimulator({ assets, seed: 1, sizeScale: SIZE_SCALE, sharedAssets: 0, profile: 'apple' });
  const root = await makeTempDir(`lifeboat-bench-pace-${strategy}-`);
  try {
    const cli = await icloudScene(sim, root, { drives: 1 });
    if (strategy === 'list-first') cli.env = { ...cli.env, LIFEBOAT_ENGINE_STRATEGY: 'list-first' };
    sim.counters.reset();
    const started = performance.now();
    let firstByte = Number.NaN;
    // The simulator runs in this process: its counter moves the moment the content host writes a body byte.
    const watch = setInterval(() => {
      if (Number.isNaN(firstByte) && sim.counters.totalBytes > 0) firstByte = (performance.now() - started) / 1000;
    }, 20);
    let run: Measured;
    try {
      run = await measure(spawnCli(['run', 'main', '--json'], cli), `lifeboat run (${strategy})`, started);
    } finally {
      clearInterval(watch);
    }
    const report = JSON.parse(run.stdout) as RunReport;
    if (!report.ok) throw new Error(`lifeboat run (${strategy}) reported failures:\n${run.stdout}`);
    const snapshot = sim.counters.snapshot();
    const result: PaceRun = {
      ...run,
      report,
      firstByte,
      limit: profileLimitSeconds(sim, report.filesCopied, report.bytesCopied),
      requests: totalRequests(sim),
      refused: Object.values(snapshot.paceRefusals).reduce((a, b) => a + b, 0),
      violations: snapshot.retryAfterViolations,
      peakInFlight: snapshot.peakInFlight,
    };
    console.log(
      `  ${strategy}: first byte ${firstByte.toFixed(2)} s, total ${run.seconds.toFixed(1)} s ` +
        `(limit ${result.limit.toFixed(1)} s), ${report.filesCopied} files, ${result.requests} requests, ` +
        `${result.refused} refused, ${result.violations} Retry-After violations, peak in flight ${JSON.stringify(snapshot.peakInFlight)}`,
    );
    return result;
  } finally {
    await sim.stop();
    await removeDir(root);
  }
}

export async function paceBench(scale: number): Promise<Figure[]> {
  const assets = Math.max(500, Math.round(20_000 * scale));
  console.log(`[pace] first full backup of ${assets} assets at Apple's pace to one disk, streaming vs list-first`);
  const streaming = await paceRun(assets, 'streaming');
  const today = await paceRun(assets, 'list-first');
  const percent = (r: PaceRun) => (100 * r.refused) / Math.max(1, r.requests);
  const todayLabel = "today's strategy (list all, then 4 workers)";
  const details = (r: PaceRun) => ({
    seconds: r.seconds,
    firstByteSeconds: r.firstByte,
    limitSeconds: r.limit,
    files: r.report.filesCopied,
    bytes: r.report.bytesCopied,
    requests: r.requests,
    refused503: r.refused,
    retryAfterViolations: r.violations,
    peakInFlight: r.peakInFlight,
    peakRssBytes: r.peakRss,
  });
  const all = { assets, sizeScale: SIZE_SCALE, streaming: details(streaming), listFirst: details(today) };
  const bench = "Apple's pace";
  return [
    {
      bench,
      label: `first full run, ${assets} assets: time to first copied byte`,
      value: streaming.firstByte,
      unit: 's',
      baseline: { label: todayLabel, value: today.firstByte },
      ratio: ratio(streaming.firstByte, today.firstByte),
      ratioMeaning: "x today's",
      target: { text: `< ${TARGET_FIRST_BYTE_S} s`, met: streaming.firstByte < TARGET_FIRST_BYTE_S },
      details: all,
    },
    {
      bench,
      label: `first full run, ${assets} assets: total time`,
      value: streaming.seconds,
      unit: 's',
      baseline: { label: "the profile's limit (least time under its rules)", value: streaming.limit },
      ratio: ratio(streaming.seconds, streaming.limit),
      ratioMeaning: 'x the limit',
      target: { text: `<= ${TARGET_OF_LIMIT}x the limit`, met: streaming.seconds <= TARGET_OF_LIMIT * streaming.limit },
    },
    {
      bench,
      label: `first full run, ${assets} assets: total time vs today's`,
      value: streaming.seconds,
      unit: 's',
      baseline: { label: todayLabel, value: today.seconds },
      ratio: ratio(streaming.seconds, today.seconds),
      ratioMeaning: "x today's",
      target: { text: "faster than today's", met: streaming.seconds < today.seconds },
    },
    {
      bench,
      label: `first full run, ${assets} assets: 503s answered`,
      value: percent(streaming),
      unit: '%',
      baseline: { label: todayLabel, value: percent(today) },
      ratio: ratio(percent(streaming), percent(today)),
      ratioMeaning: "x today's",
      target: { text: `<= ${TARGET_REFUSED_PERCENT}% of requests`, met: percent(streaming) <= TARGET_REFUSED_PERCENT },
    },
    {
      bench,
      label: `first full run, ${assets} assets: Retry-After violations`,
      value: streaming.violations,
      unit: 'requests',
      baseline: { label: todayLabel, value: today.violations },
      ratio: ratio(streaming.violations, today.violations),
      ratioMeaning: "x today's",
      target: { text: '= 0', met: streaming.violations === 0 },
    },
  ];
}
