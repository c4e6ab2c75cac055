/**
 * iCloud benchmarks with the built CLI against the simulated iCloud (started in this process, so its memory is not
 * counted): (a) a no-op incremental run on a 100,000-asset library (after a first full run, with files at the
 * simulator's 16 KiB minimum so bytes do not dominate): wall time and requests; (b) one 2 GiB video streamed to two
 * disk destinations: peak RSS of the lifeboat process alone (target < 200 MB). Secrets: the vault (no keychain).
 * Flags: --assets N (default 100000), --video-gib G (default 2), --skip-noop, --skip-video.
 * Results: bench/results/icloud.json. Run: tsc -b && node test/dist/bench/icloud-bench.js
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { cliPath, lifeboatOk, makeTempDir, removeDir, repoRoot } from '../e2e/cli.js';
import { addIcloudSource } from '../e2e/icloud/icloud-world.js';
import { watchPeakRss } from './peak-rss.js';

const RSS_TARGET = 200e6;
const env = { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'bench', NO_COLOR: '1' };

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`${name} takes a positive number`);
  return value;
}

/** `lifeboat run main --json`, timed, with the peak RSS of the lifeboat process (and any children). */
function timedRun(home: string): Promise<{ seconds: number; peakRss: number; report: Record<string, unknown> }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, 'run', 'main', '--json'], {
    env: { ...process.env, ...env, LIFEBOAT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rss = watchPeakRss(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const peakRss = rss.stop();
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`lifeboat run failed (exit ${code}):\n${stderr}${stdout}`));
      else resolve({ seconds, peakRss, report: JSON.parse(stdout) as Record<string, unknown> });
    });
  });
}

/** A LIFEBOAT_HOME with the simulator as source `ic`, two disk drives, plan `main`, signed in (SRP + code). */
async function scene(sim: Simulator, root: string): Promise<string> {
  const home = join(root, 'home');
  for (const d of ['drive-a', 'drive-b']) {
    await lifeboatOk(['destination', 'add', 'disk', d, '--set', `path=${join(root, d)}`], { home, env });
  }
  await addIcloudSource(sim, 'ic', { home, env });
  await lifeboatOk(['plan', 'add', 'main', '--source', 'ic', '--destination', 'drive-a', '--destination', 'drive-b'], {
    home,
    env,
  });
  await lifeboatOk(['login', 'ic', '--password-stdin', '--code', sim.account.code], {
    home,
    env,
    input: `${sim.account.password}\n`,
  });
  return home;
}

const totalRequests = (sim: Simulator) => Object.values(sim.counters.snapshot().requests).reduce((a, b) => a + b, 0);

async function noopRun(assets: number) {
  const sim = await startSimulator({ assets, seed: 1, sizeScale: 0.001, sharedAssets: 0 });
  const root = await makeTempDir('lifeboat-icloud-bench-');
  try {
    const home = await scene(sim, root);
    sim.counters.reset();
    console.log(`(a) first full run of ${assets} assets ...`);
    const first = await timedRun(home);
    const firstRequests = totalRequests(sim);
    console.log(`    ${first.seconds.toFixed(1)} s, ${first.report.filesCopied} files, ${firstRequests} requests`);
    sim.counters.reset();
    const second = await timedRun(home);
    const snapshot = sim.counters.snapshot();
    if (second.report.filesCopied !== 0) throw new Error(`the no-op run copied ${second.report.filesCopied} files`);
    return {
      assets,
      firstRun: { seconds: first.seconds, requests: firstRequests, files: first.report.filesCopied },
      noopRun: {
        seconds: second.seconds,
        requests: totalRequests(sim),
        byEndpoint: snapshot.requests,
        bytesDownloaded: snapshot.totalBytes,
        listed: second.report.listed,
      },
    };
  } finally {
    await sim.stop();
    await removeDir(root);
  }
}

async function bigVideo(gib: number) {
  const sim = await startSimulator({ assets: 0, seed: 1, sharedAssets: 0 });
  const size = Math.round(gib * 2 ** 30);
  sim.library.add(1, { kind: 'video', size, filename: 'BIG_0001.MOV' });
  const root = await makeTempDir('lifeboat-icloud-bench-');
  try {
    const home = await scene(sim, root);
    console.log(`(b) one ${gib} GiB video to two drives ...`);
    const run = await timedRun(home);
    if (run.report.bytesCopied !== size) throw new Error(`copied ${run.report.bytesCopied} bytes, not ${size}`);
    return {
      bytes: size,
      seconds: run.seconds,
      peakRss: run.peakRss,
      targetRss: RSS_TARGET,
      ok: run.peakRss < RSS_TARGET,
    };
  } finally {
    await sim.stop();
    await removeDir(root);
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  if (!process.argv.includes('--skip-noop')) results.noop = await noopRun(flag('--assets', 100_000));
  if (!process.argv.includes('--skip-video')) results.video = await bigVideo(flag('--video-gib', 2));
  const rows: string[][] = [['benchmark', 'figure', 'value']];
  const noop = results.noop as Awaited<ReturnType<typeof noopRun>> | undefined;
  if (noop) {
    rows.push([`first full run, ${noop.assets} assets`, 'wall time', `${noop.firstRun.seconds.toFixed(1)} s`]);
    rows.push(['', 'requests', String(noop.firstRun.requests)]);
    rows.push([`no-op incremental run`, 'wall time', `${noop.noopRun.seconds.toFixed(1)} s`]);
    rows.push(['', 'requests', String(noop.noopRun.requests)]);
    rows.push(['', 'bytes downloaded', String(noop.noopRun.bytesDownloaded)]);
  }
  const video = results.video as Awaited<ReturnType<typeof bigVideo>> | undefined;
  if (video) {
    rows.push([
      `${(video.bytes / 2 ** 30).toFixed(1)} GiB video to 2 drives`,
      'wall time',
      `${video.seconds.toFixed(1)} s`,
    ]);
    rows.push([
      '',
      'peak RSS (lifeboat)',
      `${(video.peakRss / 1e6).toFixed(0)} MB (target < 200 MB: ${video.ok ? 'PASS' : 'MISS'})`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  const out = join(repoRoot, 'bench', 'results');
  await mkdir(out, { recursive: true });
  // A part skipped this time keeps its figures from the previous run.
  const file = join(out, 'icloud.json');
  const previous = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>) : {};
  await writeFile(file, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
  console.log(`Results: bench/results/icloud.json`);
}

main().catch((error: unknown) => {
  console.error(`icloud bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
