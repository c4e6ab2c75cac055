import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirs, makeDirsSync } from './make-dirs.js';

const PROC_PATH = '/proc/lifeboat-test/a/b';
const onLinux = process.platform === 'linux';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-dirs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Fails after `ms` instead of hanging the suite when a regression loops forever. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs makeDirsSync in a child process killed after 5 s: a synchronous hang would block this process's own
 * timers. Node runs the TypeScript module directly (type stripping); it imports only node: modules.
 */
function makeDirsSyncInChild(path: string): { code: string | undefined; timedOut: boolean } {
  const module = fileURLToPath(new URL('./make-dirs.ts', import.meta.url));
  const script = `import { makeDirsSync } from ${JSON.stringify(module)};
try { makeDirsSync(${JSON.stringify(path)}); console.log('ok'); } catch (e) { console.log(e.code); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    timeout: 5_000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
  });
  if (child.error && (child.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw child.error;
  return { code: child.stdout?.trim() || undefined, timedOut: child.signal === 'SIGKILL' };
}

describe('makeDirs', () => {
  it('creates nested folders', async () => {
    const path = join(root, 'a', 'b', 'c');
    await makeDirs(path);
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('accepts a folder that already exists', async () => {
    await makeDirs(root);
    await makeDirs(join(root, 'x'));
    await expect(makeDirs(join(root, 'x'))).resolves.toBeUndefined();
  });

  it('applies the mode to the folders it creates', async () => {
    const path = join(root, 'private', 'inner');
    await makeDirs(path, 0o700);
    expect(statSync(path).mode & 0o777).toBe(0o700 & ~process.umask());
    expect(statSync(join(root, 'private')).mode & 0o777).toBe(0o700 & ~process.umask());
  });

  it('creates folders through a symbolic link to a folder', async () => {
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    await makeDirs(join(root, 'link', 'a'));
    expect(statSync(join(root, 'real', 'a')).isDirectory()).toBe(true);
  });

  it('survives concurrent calls for overlapping paths', async () => {
    await Promise.all([1, 2, 3, 4].map((i) => makeDirs(join(root, 'p', 'q', `r${i % 2}`))));
    expect(statSync(join(root, 'p', 'q', 'r0')).isDirectory()).toBe(true);
  });

  it('rejects a path under a regular file', async () => {
    writeFileSync(join(root, 'file'), 'x');
    await expect(makeDirs(join(root, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('rejects a path that exists as a regular file', async () => {
    writeFileSync(join(root, 'file'), 'x');
    await expect(makeDirs(join(root, 'file'))).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it.runIf(onLinux)('rejects with ENOENT at once under /proc instead of looping', async () => {
    const started = performance.now();
    await expect(within(5_000, makeDirs(PROC_PATH))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('makeDirsSync', () => {
  it('creates nested folders and accepts existing ones', () => {
    const path = join(root, 'a', 'b');
    makeDirsSync(path);
    makeDirsSync(path);
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('rejects a path under a regular file, and a regular file', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirsSync(join(root, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirsSync(join(root, 'file'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });

  it.runIf(onLinux)('rejects with ENOENT at once under /proc instead of looping', () => {
    expect(makeDirsSyncInChild(PROC_PATH)).toEqual({ code: 'ENOENT', timedOut: false });
    expect(makeDirsSyncInChild(join(root, 'made', 'here'))).toEqual({ code: 'ok', timedOut: false });
  });
});
