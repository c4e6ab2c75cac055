/**
 * `npm run bench`: lifeboat backing up ~2 GB of photos to two folders on one disk, against `cp -r` twice.
 * Flags: --scale 0.1 for a quick run (100 files, ~200 MB). Results: bench/results/backup.json.
 * The page cache is not dropped: the source set is usually cached for both contenders, which is fair to both.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertCliBuilt, cliPath, repoRoot } from '../e2e/cli.js';
import { type BenchParams, benchSizes, ensureDataSet } from './data-set.js';
import { mb, scaleArg } from './measure.js';
import { watchPeakRss } from './peak-rss.js';
import type { Figure } from './report.js';

const RSS_TARGET = 200e6; // decimal MB, like the MB/s column
const RATIO_TARGET = 1.5;

function checked(result: SpawnSyncReturns<Buffer>, what: string): void {
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status}): ${result.stderr?.toString() ?? ''}`);
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

/** Runs the CLI to completion; for `run`, measures wall time and peak RSS of the process tree. */
function lifeboat(home: string, args: string[]): Promise<{ seconds: number; peakRss: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, LIFEBOAT_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rss = watchPeakRss(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const peakRss = rss.stop();
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`lifeboat ${args.join(' ')} failed (exit ${code}):\n${stderr}${stdout}`));
      else resolve({ seconds, peakRss, stdout });
    });
  });
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** Runs the comparison at `scale`, writes bench/results/backup.json, and returns the figure for `npm run bench`. */
export async function backupBench(scale: number): Promise<Figure[]> {
  assertCliBuilt();
  const params: BenchParams = {
    files: Math.round(1000 * scale),
    totalBytes: Math.round(2e9 * scale),
    minSize: 100_000,
    maxSize: 50_000_000,
    seed: 1,
  };
  const bytes = benchSizes(params).reduce((a, b) => a + b, 0);
  const work = join(tmpdir(), 'lifeboat-bench');
  console.log(`Data set: ${params.files} JPEGs, ${mb(bytes).toFixed(0)} MB, 100 KB - 50 MB each`);
  const started = performance.now();
  const data = await ensureDataSet(work, params);
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`  ${data.reused ? 'reused' : `generated in ${took} s`}: ${data.dir}`);

  const runDir = join(work, `run-${process.pid}`);
  await mkdir(runDir, { recursive: true });
  try {
    spawnSync('sync'); // flush the generator's writes so they are not billed to the first contender
    console.log('cp -r (twice) ...');
    const cpSeconds = timed(() => {
      checked(spawnSync('cp', ['-r', data.dir, join(runDir, 'cp-a')]), 'cp');
      checked(spawnSync('cp', ['-r', data.dir, join(runDir, 'cp-b')]), 'cp');
    });
    const syncSeconds = timed(() => checked(spawnSync('sync'), 'sync'));
    await rm(join(runDir, 'cp-a'), { recursive: true });
    await rm(join(runDir, 'cp-b'), { recursive: true });
    spawnSync('sync');

    console.log('lifeboat run ...');
    const home = join(runDir, 'home');
    await lifeboat(home, ['source', 'add', 'folder', 'photos', '--set', `path=${data.dir}`]);
    for (const drive of ['drive-a', 'drive-b']) {
      await lifeboat(home, ['destination', 'add', 'disk', drive, '--set', `path=${join(runDir, drive)}`]);
    }
    await lifeboat(home, [
      'plan',
      'add',
      'bench',
      '--source',
      'photos',
      '--destination',
      'drive-a',
      '--destination',
      'drive-b',
    ]);
    const run = await lifeboat(home, ['run', 'bench', '--json']);
    const report = JSON.parse(run.stdout) as { ok: boolean; filesCopied: number };
    if (!report.ok || report.filesCopied !== params.files) {
      throw new Error(`lifeboat copied ${report.filesCopied} of ${params.files} files:\n${run.stdout}`);
    }

    const cpSync = cpSeconds + syncSeconds;
    const rows: Array<[string, number, string]> = [
      ['cp -r, twice', cpSeconds, '-'],
      ['cp -r, twice, + sync', cpSync, '-'],
      ['lifeboat run (2 drives)', run.seconds, `${mb(run.peakRss).toFixed(0)} MB`],
    ];
    console.log(`\n${'contender'.padEnd(26)}${'wall s'.padStart(9)}${'MB/s'.padStart(9)}  peak RSS`);
    for (const [label, seconds, rss] of rows) {
      console.log(`${label.padEnd(26)}${fmt(seconds)}${fmt(mb(bytes) / seconds, 1)}  ${rss}`);
    }
    console.log('(MB/s = source megabytes per second; every byte is written to both destinations)');
    const ratioCp = run.seconds / cpSeconds;
    const ratioCpSync = run.seconds / cpSync;
    const targets = {
      [`within ${RATIO_TARGET}x of cp + sync (lifeboat fsyncs, like for like)`]: ratioCpSync <= RATIO_TARGET,
      [`within ${RATIO_TARGET}x of plain cp (page cache only)`]: ratioCp <= RATIO_TARGET,
      'peak RSS < 200 MB': run.peakRss < RSS_TARGET,
    };
    console.log(`\nlifeboat / cp = ${ratioCp.toFixed(2)}x, lifeboat / (cp + sync) = ${ratioCpSync.toFixed(2)}x`);
    for (const [target, ok] of Object.entries(targets)) console.log(`  ${verdict(ok)}  ${target}`);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      params: { ...params, scale, bytes },
      cp: { seconds: cpSeconds, mbPerSecond: mb(bytes) / cpSeconds },
      cpSync: { seconds: cpSync, syncSeconds, mbPerSecond: mb(bytes) / cpSync },
      lifeboat: { seconds: run.seconds, mbPerSecond: mb(bytes) / run.seconds, peakRssBytes: run.peakRss },
      ratios: { lifeboatOverCp: ratioCp, lifeboatOverCpSync: ratioCpSync },
      targets,
      pageCache: 'not dropped; source likely cached for both contenders',
    };
    const out = join(repoRoot, 'bench', 'results', 'backup.json');
    await mkdir(join(repoRoot, 'bench', 'results'), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults: ${out}\nData set kept for the next run: ${data.dir} (delete it to free the space)`);
    return [
      {
        bench: 'disk backup vs cp',
        label: `lifeboat run: ${params.files} photos, ${mb(bytes).toFixed(0)} MB -> 2 folders`,
        value: run.seconds,
        unit: 's',
        baseline: { label: 'cp -r twice + sync', value: cpSync },
        ratio: ratioCpSync,
        ratioMeaning: 'x cp + sync',
        target: { text: `<= ${RATIO_TARGET}x cp + sync`, met: ratioCpSync <= RATIO_TARGET },
        details: results,
      },
    ];
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

// Run on its own: node test/dist/bench/backup-bench.js [--scale X]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  backupBench(scaleArg()).catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
