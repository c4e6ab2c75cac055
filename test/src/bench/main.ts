/**
 * `npm run bench` (issues 8 and 14): seven benchmarks, each figure measured in the same run as its baseline and reported as
 * a ratio, with PASS/MISS per target. Prints the table and writes bench/results/bench.json and bench.svg.
 *
 *   npm run bench                       # default --scale 0.25: about 5 minutes on 2 CPUs, plus 15 for pace
 *   npm run bench -- --scale 1          # the full sizes (8 GB fan-out, 100,000 assets, 4 GiB video)
 *   npm run bench -- --only noop,planner
 *
 * See bench/results/README.md for what each figure means and how the scale applies.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { assertCliBuilt, repoRoot } from '../e2e/cli.js';
import { backupBench } from './backup-bench.js';
import { fanOutBench } from './fan-out-bench.js';
import { flagValue, scaleArg } from './measure.js';
import { memoryBench } from './memory-bench.js';
import { noopBench } from './noop-bench.js';
import { offloadBench } from './offload-bench.js';
import { paceBench } from './pace-bench.js';
import { plannerBench } from './planner-bench.js';
import { chartSvg, type Figure, formatTable } from './report.js';
import { s3Bench } from './s3-bench.js';

const DEFAULT_SCALE = 0.25;

/** In the order they run, the cheap and the memory figure first (the page cache is still cold then). */
const BENCHES: Record<string, (scale: number) => Promise<Figure[]>> = {
  planner: plannerBench,
  offload: offloadBench, // issue 19: the offload dry run's catalog pass
  memory: memoryBench,
  fanout: fanOutBench,
  noop: noopBench,
  s3: s3Bench,
  s3crypt: (scale) => s3Bench(scale, { crypt: true }), // issue 20: encrypted, against rclone crypt
  pace: paceBench, // issue 14: a first backup at Apple's pace, streaming vs list-first
  disk: backupBench, // the earlier disk figure (lifeboat vs cp -r), kept in the one command
};

async function main(): Promise<void> {
  assertCliBuilt();
  const scale = scaleArg(DEFAULT_SCALE);
  const only = flagValue('--only')?.split(',') ?? Object.keys(BENCHES);
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) throw new Error(`--only: no benchmark ${unknown.join(', ')} (have ${Object.keys(BENCHES)})`);
  const started = new Date();
  const load = [loadavg()[0]!];
  console.log(`Lifeboat benchmark, --scale ${scale}, ${cpus().length} CPUs, load ${load[0]!.toFixed(2)}\n`);
  const figures: Figure[] = [];
  for (const name of only) {
    figures.push(...(await BENCHES[name]!(scale)));
    load.push(loadavg()[0]!);
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  console.log(`\n${formatTable(figures)}\n`);
  const met = figures.filter((f) => f.target.met).length;
  console.log(`${met} of ${figures.length} targets met; ${seconds.toFixed(0)} s in all.`);
  const out = join(repoRoot, 'bench', 'results');
  await mkdir(out, { recursive: true });
  const results = {
    date: started.toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1m: load,
    scale,
    seconds,
    figures,
  };
  await writeFile(join(out, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(
    join(out, 'bench.svg'),
    chartSvg(figures, `Lifeboat benchmark, scale ${scale}, ${started.toISOString()}`),
  );
  console.log('Results: bench/results/bench.json, bench/results/bench.svg');
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
