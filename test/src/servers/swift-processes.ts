/**
 * The child processes of a test Swift server: started under setpriv so they die with the test process, logs
 * appended to files, killed gracefully then hard, and an exit hook that cleans up what stop() did not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, appendFileSync, closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface Managed {
  name: 'memcached' | 'account' | 'container' | 'object' | 'proxy';
  child: ChildProcess;
  log: string;
  /** Resolves once the process has exited (and been reaped). */
  exited: Promise<void>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/** Every process and folder not yet stopped, in any server: the exit hook kills and removes them. */
const live = new Set<Managed>();
export const liveDirs = new Set<string>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const managed of live) {
      try {
        managed.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of liveDirs) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {
        // best effort: the processes may still be writing
      }
    }
  });
}

const setpriv = findBinary('setpriv');

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  return env;
}

/**
 * Starts `command` with stdout and stderr appended to `log`. Under setpriv the kernel SIGKILLs it when this
 * process dies, even by SIGKILL (the 'exit' hook only covers a normal exit); setpriv execs, so the PID is the same.
 */
export function launch(name: Managed['name'], command: string, args: string[], cwd: string, log: string): Managed {
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', command, ...args], {
          cwd,
          env: childEnv(),
          stdio: ['ignore', fd, fd],
        })
      : spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd); // the child has its own copy
  }
  const managed: Managed = {
    name,
    child,
    log,
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        managed.exit = { code, signal };
        live.delete(managed);
        resolve();
      });
      child.on('error', (error) => {
        if (child.pid !== undefined) return; // a kill() that failed; 'exit' still follows
        appendFileSync(log, `spawn failed: ${error.message}\n`);
        managed.exit = { code: null, signal: null };
        live.delete(managed);
        resolve();
      });
    }),
  };
  live.add(managed);
  return managed;
}

export function tail(path: string, lines: number): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(empty log)';
  } catch {
    return '(no log)';
  }
}

export async function kill(processes: Managed[], graceMs: number): Promise<void> {
  const running = processes.filter((managed) => managed.exit === undefined);
  for (const managed of running) managed.child.kill('SIGTERM');
  const allExited = Promise.all(running.map((managed) => managed.exited));
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([allExited, grace]);
  clearTimeout(timer);
  for (const managed of running) if (managed.exit === undefined) managed.child.kill('SIGKILL');
  await allExited;
}

/** Runs a command to completion; rejects with its output unless it exits 0. */
export function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`));
    });
  });
}
