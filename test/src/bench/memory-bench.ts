import { startSimulator } from '@lifeboat/icloud-sim';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { startFauxqsProcess } from './fauxqs-process.js';
import { icloudScene } from './icloud-scene.js';
import { mb, measuredRun } from './measure.js';
import { type Figure, ratio } from './report.js';

const TARGET_BYTES = 200e6; // decimal MB, as printed
/** Issue 14: memory stays flat as the library grows (decimal MB). */
const TARGET_FIRST_RUN_BYTES = 250e6;
const TARGET_NOOP_BYTES = 150e6;

/**
 * Peak RSS of a first full run and of the no-op after it, for a library of `assets` (smallest files, one disk).
 * Instant profile: at Apple's pace 100,000 assets take most of an hour to list (3 s a page), and the queue the
 * engine holds does not depend on the pace.
 */
async function libraryRss(assets: number): Promise<{ first: number; noop: number }> {
  const sim = await startSimulator({ assets, seed: 1, sizeScale: 0.001, sharedAssets: 0 });
  const root = await makeTempDir('lifeboat-bench-memory-library-');
  try {
    const cli = await icloudScene(sim, root, { drives: 1 });
    const first = await measuredRun('main', cli);
    const noop = await measuredRun('main', cli);
    if (noop.report.filesCopied !== 0) throw new Error(`the no-op run copied ${noop.report.filesCopied} files`);
    console.log(
      `  ${assets} assets: first run ${first.seconds.toFixed(1)} s, peak ${mb(first.peakRss).toFixed(0)} MB; ` +
        `no-op ${noop.seconds.toFixed(1)} s, peak ${mb(noop.peakRss).toFixed(0)} MB`,
    );
    return { first: first.peakRss, noop: noop.peakRss };
  } finally {
    await sim.stop();
    await removeDir(root);
  }
}

/** The same figures at a tenth of the library, beside them: flat memory means a ratio near 1. */
async function libraryMemory(scale: number): Promise<Figure[]> {
  const large = Math.max(1000, Math.round(100_000 * scale));
  const small = Math.round(large / 10);
  console.log(`[memory] first full run and no-op of ${large} and ${small} assets (instant profile): peak RSS`);
  const big = await libraryRss(large);
  const tenth = await libraryRss(small);
  const figure = (what: string, value: number, base: number, target: number): Figure => ({
    bench: 'memory',
    label: `peak RSS, ${what} of ${large} assets (instant profile)`,
    value: mb(value),
    unit: 'MB',
    baseline: { label: `same at ${small} assets`, value: mb(base) },
    ratio: ratio(value, base),
    ratioMeaning: `x at ${small}`,
    target: { text: `< ${mb(target)} MB`, met: value < target },
  });
  return [
    figure('first full run', big.first, tenth.first, TARGET_FIRST_RUN_BYTES),
    figure('no-op run', big.noop, tenth.noop, TARGET_NOOP_BYTES),
  ];
}

export async function memoryBench(scale: number): Promise<Figure[]> {
  return [...(await videoMemory(scale)), ...(await libraryMemory(scale))];
}

async function videoMemory(scale: number): Promise<Figure[]> {
  const size = Math.round(Math.max(0.05, 4 * scale) * 2 ** 30);
  const gib = size / 2 ** 30;
  console.log(`[memory] one ${gib.toFixed(2)} GiB video to 2 disks + S3: peak RSS`);
  const sim = await startSimulator({ assets: 0, seed: 1, sharedAssets: 0 });
  sim.library.add(1, { kind: 'video', size, filename: 'BIG_0001.MOV' });
  const root = await makeTempDir('lifeboat-bench-memory-');
  const s3 = await startFauxqsProcess();
  try {
    const cli = await icloudScene(sim, root, { drives: 2, s3: { server: s3, bucket: 'bench-memory' } });
    const run = await measuredRun('main', cli);
    if (run.report.bytesCopied !== size) throw new Error(`copied ${run.report.bytesCopied} bytes, not ${size}`);
    const floor = await measuredRun('main', cli);
    console.log(
      `  video: ${run.seconds.toFixed(1)} s, peak ${mb(run.peakRss).toFixed(0)} MB; ` +
        `nothing to copy: peak ${mb(floor.peakRss).toFixed(0)} MB`,
    );
    return [
      {
        bench: 'memory',
        label: `peak RSS, ${gib.toFixed(2)} GiB video -> 2 disks + S3`,
        value: mb(run.peakRss),
        unit: 'MB',
        baseline: { label: 'same run, nothing to copy', value: mb(floor.peakRss) },
        ratio: ratio(run.peakRss, floor.peakRss),
        ratioMeaning: 'x idle run',
        target: { text: `< ${mb(TARGET_BYTES)} MB`, met: run.peakRss < TARGET_BYTES },
        details: { bytes: size, seconds: run.seconds, mbPerSecond: mb(size) / run.seconds },
      },
    ];
  } finally {
    await s3.stop();
    await sim.stop();
    await removeDir(root);
  }
}
