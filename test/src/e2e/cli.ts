/**
 * Harness for end-to-end tests: runs the real, built `lifeboat` CLI as a child process with its own
 * LIFEBOAT_HOME, plus file-tree helpers (hashing, walking) to check what landed on a destination.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is test/src/e2e/cli.ts (or test/dist/e2e/cli.js once built). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliPath = join(repoRoot, 'packages', 'tui', 'bin', 'lifeboat.js');

/** Fails fast with a useful message instead of dozens of confusing spawn failures. */
export function assertCliBuilt(): void {
  const dist = join(repoRoot, 'packages', 'tui', 'dist');
  if (!existsSync(cliPath) || !existsSync(dist)) {
    throw new Error(
      `The lifeboat CLI is not built (need ${cliPath} and ${dist}). Run \`npm run build\` (tsc -b) before the e2e tests.`,
    );
  }
}

export interface CliOptions {
  home: string;
  /** Written to stdin, which is then closed (stdin is always closed, so a prompt cannot hang a test). */
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** A command the CLI runs under, e.g. `['faketime', '-f', '+2h']` for a skewed clock. */
  wrapper?: string[];
}

export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON; throws with the whole transcript if it is not. */
  json<T = unknown>(): T;
  /** A transcript for assertion messages. */
  describe(): string;
}

/**
 * The keychain namespace of this test file's CLI runs. Test files run in parallel, one process each, and many use
 * the same instance names: each file's secrets stay apart, while the homes of one file share them as users' do.
 */
export const KEYCHAIN_NAMESPACE = `e2e-${process.pid}`;
// In-process reads of the secrets store (secretStoreFor(process.env)) use it too.
process.env.LIFEBOAT_KEYCHAIN_NAMESPACE = KEYCHAIN_NAMESPACE;

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  // No colours or interactive UI: output must be plain text for the assertions.
  return {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CI: '1',
    LIFEBOAT_KEYCHAIN_NAMESPACE: KEYCHAIN_NAMESPACE,
    ...options.env,
    LIFEBOAT_HOME: options.home,
  };
}

/** Starts `node lifeboat.js ...args` without waiting: for tests that kill it mid-run. */
export function spawnCli(args: string[], options: CliOptions): ChildProcess {
  const [command, ...before] = [...(options.wrapper ?? []), process.execPath, cliPath];
  const child = spawn(command!, [...before, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: childEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(options.input ?? '');
  return child;
}

/** `lifeboat run <plan> [...extra]`, returned as a ChildProcess for kill tests. */
export function spawnRun(plan: string, options: CliOptions, extra: string[] = []): ChildProcess {
  return spawnCli(['run', plan, ...extra], options);
}

/**
 * Runs the CLI to completion and collects its output. A hung command is killed after `timeoutMs` (default 20 s,
 * 180 s for run/restore) and reported as such, rather than surfacing as an opaque vitest timeout.
 */
export function lifeboat(args: string[], options: CliOptions): Promise<CliResult> {
  const child = spawnCli(args, options);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  const timeoutMs = options.timeoutMs ?? (args[0] === 'run' || args[0] === 'restore' ? 180_000 : 20_000);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const describe = () =>
        `$ lifeboat ${args.join(' ')}\n-> ${timedOut ? `HUNG: killed after ${timeoutMs} ms` : `exit ${code}`}` +
        `${signal ? ` (${signal})` : ''}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
      resolve({
        args,
        code,
        signal,
        stdout,
        stderr,
        describe,
        json: () => {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`stdout is not one JSON document:\n${describe()}`);
          }
        },
      });
    });
  });
}

/** Runs the CLI and throws with the transcript unless it exits 0: for setup steps. */
export async function lifeboatOk(args: string[], options: CliOptions): Promise<CliResult> {
  const result = await lifeboat(args, options);
  if (result.code !== 0) throw new Error(`setup step failed:\n${result.describe()}`);
  return result;
}

export function makeTempDir(prefix = 'lifeboat-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Regular files under `dir` as sorted posix relative paths. The top-level `.lifeboat/` folder (marker, index,
 * temp files) is skipped unless `includeMeta`. A missing `dir` yields [].
 */
/**
 * The files under `dir`, relative. Lifeboat's own `.lifeboat/` folder and the XMP sidecars beside the copies are
 * left out unless asked for: most tests compare the photos, and a sidecar is never one (sidecar tests ask).
 */
export async function walkFiles(dir: string, options: WalkOptions = {}): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((rel) => options.includeMeta || !(rel === '.lifeboat' || rel.startsWith('.lifeboat/')))
    .filter((rel) => options.includeSidecars || !rel.endsWith('.xmp'))
    .sort();
}

export interface WalkOptions {
  includeMeta?: boolean;
  includeSidecars?: boolean;
}

/** relPath -> sha256 for every file walkFiles reports. */
export async function hashTree(dir: string, options: WalkOptions = {}): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const rel of await walkFiles(dir, options)) tree.set(rel, await sha256File(join(dir, rel)));
  return tree;
}

/** What is missing from / extra in `actual` compared with `expected`, counting repeats (multisets). */
export function multisetDiff(
  expected: Iterable<string>,
  actual: Iterable<string>,
): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const item of expected) counts.set(item, (counts.get(item) ?? 0) + 1);
  const extra: string[] = [];
  for (const item of actual) {
    const left = counts.get(item) ?? 0;
    if (left > 0) counts.set(item, left - 1);
    else extra.push(item);
  }
  const missing = [...counts].flatMap(([item, left]) => Array<string>(left).fill(item));
  return { missing, extra };
}
