import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockedError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirs } from '../util/make-dirs.js';
import { acquireLock } from './run-lock.js';

let root: string;
let lockPath: string;
const releases: (() => Promise<void>)[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-lock-'));
  lockPath = join(root, 'locks', 'daily.lock');
});
afterEach(async () => {
  for (const release of releases.splice(0)) await release();
  await rm(root, { recursive: true, force: true });
});

async function acquire(path = lockPath): Promise<() => Promise<void>> {
  const release = await acquireLock(path, 'Plan "daily"');
  releases.push(release);
  return release;
}

/** The pid of a process that has exited: a lock it held is stale. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

/** A pid that is alive for the whole test, and not ours. */
async function livePid(): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return { pid: child.pid!, stop: () => child.kill() };
}

describe('acquireLock', () => {
  it('writes a lock file holding our pid', async () => {
    await acquire();
    const info = JSON.parse(await readFile(lockPath, 'utf8'));
    expect(info.pid).toBe(process.pid);
    expect(await readdir(join(root, 'locks'))).toEqual(['daily.lock']); // the temp file it was linked from is gone
    expect(Number.isNaN(Date.parse(info.startedAt))).toBe(false);
  });

  it('refuses a second acquire while the first holds the lock, naming the holder pid', async () => {
    await acquire();
    const error = await acquireLock(lockPath, 'Plan "daily"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).code).toBe('LIFEBOAT_LOCKED');
    expect((error as LockedError).message).toContain('Plan "daily" is already running');
    expect((error as LockedError).message).toContain(`process ${process.pid}`);
    expect(existsSync(lockPath)).toBe(true);
  });

  it('lets exactly one of several concurrent acquires win', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => acquireLock(lockPath, 'Plan "daily"')));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of won) releases.push(r.value);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockedError);
  });

  it('refuses a lock held by another live process', async () => {
    const other = await livePid();
    try {
      await writeFile(join(root, 'held.lock'), JSON.stringify({ pid: other.pid, startedAt: 'T' }));
      await expect(acquireLock(join(root, 'held.lock'), 'Plan "x"')).rejects.toThrow(`process ${other.pid}`);
      expect(JSON.parse(await readFile(join(root, 'held.lock'), 'utf8')).pid).toBe(other.pid);
    } finally {
      other.stop();
    }
  });

  it('frees the lock on release, so it can be taken again', async () => {
    const release = await acquireLock(lockPath, 'Plan "daily"');
    await release();
    expect(existsSync(lockPath)).toBe(false);
    await acquire();
    expect(existsSync(lockPath)).toBe(true);
  });

  it('ignores a second call of release once the lock was taken again', async () => {
    const release = await acquireLock(lockPath, 'Plan "daily"');
    await release();
    await acquire();
    await release();
    expect(existsSync(lockPath)).toBe(true);
    await expect(acquireLock(lockPath, 'Plan "daily"')).rejects.toBeInstanceOf(LockedError);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const pid = await deadPid();
    await writeFile(join(root, 'stale.lock'), JSON.stringify({ pid, startedAt: '2020-01-01T00:00:00.000Z' }));
    await acquire(join(root, 'stale.lock'));
    expect(JSON.parse(await readFile(join(root, 'stale.lock'), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over an unreadable lock file (a crash while writing it)', async () => {
    await writeFile(join(root, 'garbled.lock'), '{"pid": 12');
    await acquire(join(root, 'garbled.lock'));
    expect(JSON.parse(await readFile(join(root, 'garbled.lock'), 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock file with our pid that this process does not hold (a pid reused after a reboot)', async () => {
    await writeFile(join(root, 'reused.lock'), JSON.stringify({ pid: process.pid, startedAt: '2020-01-01T00:00:00Z' }));
    await acquire(join(root, 'reused.lock'));
    const info = JSON.parse(await readFile(join(root, 'reused.lock'), 'utf8'));
    expect(info.startedAt).not.toBe('2020-01-01T00:00:00Z');
  });

  it('lets the same process hold locks on different plans', async () => {
    await acquire(join(root, 'a.lock'));
    await expect(acquire(join(root, 'b.lock'))).resolves.toBeTypeOf('function');
  });
});

/**
 * Other processes using the real lock module: Node runs the TypeScript source directly (type stripping), with a
 * resolve hook mapping the `.js` import specifiers to the `.ts` files beside them.
 */
const HOOK = `
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(spec, ctx, next) {
  try { return await next(spec, ctx); } catch (error) {
    if (!spec.endsWith('.js') || !ctx.parentURL) throw error;
    const ts = new URL(spec.slice(0, -3) + '.ts', ctx.parentURL);
    if (!existsSync(fileURLToPath(ts))) throw error;
    return next(ts.href, ctx);
  }
}`;
const LOCK_MODULE = fileURLToPath(new URL('./run-lock.ts', import.meta.url));

/**
 * A child that tries the lock at `goAt` (ms since epoch), says `won`/`refused: <message>`, holds for `holdMs`.
 * With `gate`, it says `ready` once loaded, tries when the file `gate.go` appears and holds until `gate.release`
 * appears: races that do not depend on how fast a loaded machine starts processes.
 */
function lockChild(path: string, goAt: number, holdMs: number, waitMs = 0, gate?: { go: string; release: string }) {
  const until = (file: string) =>
    `await new Promise((r) => { const t = setInterval(() => { if (existsSync(${JSON.stringify(file)})) { clearInterval(t); r(); } }, 5); });`;
  const script = `
    import { register } from 'node:module';
    import { existsSync } from 'node:fs';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
    const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
    console.log('ready');
    ${gate ? until(gate.go) : `await new Promise((r) => setTimeout(r, Math.max(0, ${goAt} - Date.now())));`}
    try {
      const release = await acquireLock(${JSON.stringify(path)}, 'Plan "daily"', { waitMs: ${waitMs} });
      console.log('won');
      ${gate ? until(gate.release) : `await new Promise((r) => setTimeout(r, ${holdMs}));`}
      await release();
    } catch (error) {
      console.log('refused: ' + error.message);
    }`;
  const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const done = once(child, 'exit').then(() => out.replace(/^ready\n?/, '').trim());
  const said = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => (out.includes(text) ? resolve() : setTimeout(check, 10));
      check();
    });
  return { child, done, said };
}

/** Four children racing through a gate: all loaded, then all try at once, and the winner holds until all tried. */
async function race(): Promise<string[]> {
  const gate = { go: join(root, 'go'), release: join(root, 'release') };
  const children = [1, 2, 3, 4].map(() => lockChild(lockPath, 0, 0, 0, gate));
  await Promise.all(children.map((c) => c.said('ready')));
  await writeFile(gate.go, '');
  await Promise.all(children.map((c) => Promise.race([c.said('won'), c.said('refused')])));
  await writeFile(gate.release, '');
  const outcomes = await Promise.all(children.map((c) => c.done));
  await rm(gate.go);
  await rm(gate.release);
  return outcomes;
}

describe('acquireLock across processes', () => {
  it('lets exactly one of several processes racing for a plan win; the others refuse naming the holder', async () => {
    const outcomes = await race();
    expect(
      outcomes.filter((o) => o === 'won'),
      outcomes.join('\n'),
    ).toHaveLength(1);
    for (const o of outcomes.filter((o) => o !== 'won'))
      expect(o).toMatch(/^refused: Plan "daily" is already running \(process \d+/);
    expect(await readdir(join(root, 'locks'))).toEqual([]); // released, and no temp or aside file left
  }, 20_000);

  it('recovers a stale lock from a killed process (SIGKILL: no chance to clean up)', async () => {
    const holder = lockChild(lockPath, 0, 60_000);
    await holder.said('won');
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(holder.child.pid);
    await expect(acquireLock(lockPath, 'Plan "daily"')).rejects.toThrow(`process ${holder.child.pid}`);
    holder.child.kill('SIGKILL');
    await holder.done;
    await acquire();
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
  }, 20_000);

  it('lets exactly one of several processes take over the same stale lock (a late taker never removes the fresh lock)', async () => {
    const pid = await deadPid();
    await makeDirs(join(root, 'locks'));
    await writeFile(lockPath, JSON.stringify({ pid, startedAt: '2020-01-01T00:00:00.000Z' }));
    const outcomes = await race();
    expect(
      outcomes.filter((o) => o === 'won'),
      outcomes.join('\n'),
    ).toHaveLength(1);
    expect(await readdir(join(root, 'locks'))).toEqual([]);
  }, 20_000);

  it('waits for the holder to finish when asked to, then takes the lock', async () => {
    const holder = lockChild(lockPath, 0, 700);
    await holder.said('won');
    const started = Date.now();
    await expect(acquireLock(lockPath, 'Plan "daily"')).rejects.toBeInstanceOf(LockedError); // no wait: refused
    const told: string[] = [];
    const release = await acquireLock(lockPath, 'Plan "daily"', {
      waitMs: 10_000,
      pollMs: 50,
      onWait: (busy) => told.push(busy.message),
    });
    expect(told).toEqual([expect.stringMatching(/^Plan "daily" is already running \(process \d+/)]); // said once
    releases.push(release);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(await holder.done).toBe('won');
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
  }, 20_000);

  it('gives up waiting after the timeout, saying how long it waited', async () => {
    const holder = lockChild(lockPath, 0, 5_000);
    try {
      await holder.said('won');
      const error = await acquireLock(lockPath, 'Plan "daily"', { waitMs: 1_200, pollMs: 100 }).catch((e) => e);
      expect(error).toBeInstanceOf(LockedError);
      expect((error as Error).message).toMatch(/already running \(process \d+, since .*; waited 1 s\)/);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.done;
    }
  }, 20_000);
});
