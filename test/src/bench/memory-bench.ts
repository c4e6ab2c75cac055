import { startSimulator } from '@lifeboat/icloud-sim';
import { makeTempDir, removeDir } from '../e2e/cli.js';
import { startFauxqsProcess } from './fauxqs-process.js';
import { icloudScene } from './icloud-scene.js';
import { mb, measuredRun } from './measure.js';
import { type Figure, ratio } from './report.js';

const TARGET_BYTES = 200e6; // decimal MB, as printed

export async function memoryBench(scale: number): Promise<Figure[]> {
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
