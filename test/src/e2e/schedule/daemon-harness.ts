/** Starts the real `lifeboat daemon` as a child process and reads what it did from its log and the catalog. */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { type CliOptions, spawnCli, walkFiles } from '../cli.js';

export interface DaemonLine {
  at: string;
  level: string;
  message: string;
  plan?: string;
  run?: 'started' | 'finished' | 'skipped' | 'error';
  slot?: string;
  missed?: number;
  ok?: boolean;
  aborted?: boolean;
  filesCopied?: number;
  notified?: string;
  outcomes?: { target: string; ok: boolean; detail: string }[];
  skipped?: string;
}

export interface RunningDaemon {
  child: ChildProcess;
  stderr(): string;
  /** Resolves once the daemon log has a line matching `test` (polls; fails after `timeoutMs`). */
  waitFor(test: (line: DaemonLine, index: number) => boolean, timeoutMs?: number): Promise<DaemonLine>;
  /** SIGTERM, then the exit code and signal. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function daemonLines(home: string): DaemonLine[] {
  const file = join(home, 'logs', 'daemon.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DaemonLine);
}

const started = new Set<ChildProcess>();

/** SIGKILLs every daemon a test started and did not stop (a failed assertion must not leave one running). */
export function killDaemons(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
}

export function startDaemon(options: CliOptions, extra: string[] = ['--tick', '200']): RunningDaemon {
  const child = spawnCli(['daemon', ...extra], options);
  started.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => stderr,
    async waitFor(test, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = daemonLines(options.home).find((line, index) => test(line, index));
        if (found) return found;
        if (Date.now() > until || child.exitCode !== null) {
          throw new Error(`daemon log never had the line looked for; stderr:\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** The plan's runs as the catalog recorded them. */
export function catalogRuns(
  home: string,
  plan: string,
): { startedAt: string; finishedAt: string | null; ok: number | null }[] {
  const db = new DatabaseSync(join(home, 'catalog.sqlite'), { readOnly: true });
  try {
    return db
      .prepare('SELECT started_at AS startedAt, finished_at AS finishedAt, ok FROM runs WHERE plan = ? ORDER BY run_id')
      .all(plan) as { startedAt: string; finishedAt: string | null; ok: number | null }[];
  } finally {
    db.close();
  }
}

/** Files on a drive that are not final copies: temp files of writes, partial names. */
export async function leftovers(drive: string): Promise<string[]> {
  const all = await walkFiles(drive, { includeMeta: true });
  return all.filter((f) => f.startsWith('.lifeboat/tmp/') || /\.(part|tmp)$/.test(f));
}

/**
 * What a bounded daemon life must show: every run it began ended, one run per slot from the first finished run
 * to SIGTERM (±1 for timing at the edges), never two runs for one slot, the catalog agreeing, and the log ending
 * with the daemon stopping. Returns the finished runs, oldest first.
 */
export function expectOneRunPerSlot(
  home: string,
  plan: string,
  { firstAt, stoppedAt, slotMs = 2000 }: { firstAt: number; stoppedAt: number; slotMs?: number },
): DaemonLine[] {
  const lines = daemonLines(home);
  const started = lines.filter((l) => l.run === 'started');
  const finished = lines.filter((l) => l.run === 'finished');
  expect(finished.length).toBe(started.length);
  const expected = 1 + Math.floor((stoppedAt - firstAt) / slotMs);
  // ±1 for the edges; +2 above: on a loaded machine a run can end after its slot's successor has begun counting.
  // What must never happen, two runs for one slot, is checked exactly below.
  expect(finished.length).toBeGreaterThanOrEqual(expected - 1);
  expect(finished.length).toBeLessThanOrEqual(expected + 2);
  const slots = finished.map((l) => l.slot);
  expect(new Set(slots).size).toBe(slots.length);
  const runs = catalogRuns(home, plan);
  expect(runs).toHaveLength(finished.length);
  expect(runs.every((r) => r.finishedAt)).toBe(true);
  expect(lines.at(-1)?.message).toBe('daemon stopped');
  return finished;
}
