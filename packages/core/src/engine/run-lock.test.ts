import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockedError } from '../errors/index.js';
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
