/** Running the contenders of a benchmark as child processes: wall time, peak RSS of the process tree, output. */
import type { ChildProcess } from 'node:child_process';
import { type CliOptions, spawnCli } from '../e2e/cli.js';
import { watchPeakRss } from './peak-rss.js';

export interface Measured {
  seconds: number;
  peakRss: number;
  stdout: string;
}

/** Waits for a started child, measuring wall time (from `started`) and the peak RSS of its process tree. */
export function measure(child: ChildProcess, what: string, started = performance.now()): Promise<Measured> {
  const rss = watchPeakRss(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const peakRss = rss.stop();
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${what} failed (exit ${code ?? signal}):\n${stderr}${stdout}`));
      else resolve({ seconds, peakRss, stdout });
    });
  });
}

export interface RunReport {
  ok: boolean;
  filesCopied: number;
  bytesCopied: number;
  listed?: number;
  failures: unknown[];
}

/** `lifeboat run <plan> --json`, measured; fails unless the run reports ok. */
export async function measuredRun(plan: string, cli: CliOptions): Promise<Measured & { report: RunReport }> {
  const started = performance.now();
  const run = await measure(spawnCli(['run', plan, '--json'], cli), `lifeboat run ${plan}`, started);
  const report = JSON.parse(run.stdout) as RunReport;
  if (!report.ok) throw new Error(`lifeboat run ${plan} reported failures:\n${run.stdout}`);
  return { ...run, report };
}

/** The vault, not the OS keychain: nothing to unlock on a headless bench machine. */
export const BENCH_ENV = { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'bench', NO_COLOR: '1' };

export function flagValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** `--scale X`: a positive number multiplying the data sizes (1 = the full sizes). */
export function scaleArg(fallback = 1): number {
  const raw = flagValue('--scale');
  const scale = raw === undefined ? fallback : Number(raw);
  if (!(scale > 0)) throw new Error('--scale takes a positive number, e.g. --scale 0.1');
  return scale;
}

export const mb = (bytes: number) => bytes / 1e6;
