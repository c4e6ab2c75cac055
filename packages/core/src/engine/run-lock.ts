import { randomBytes } from 'node:crypto';
import { link, lstat, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ErrorCode, hasCode, LockedError, sleep } from '@lifeboat/plugin-api';
import { makeDirs } from '../util/make-dirs.js';

interface LockInfo {
  pid: number;
  startedAt: string;
  /** Tells this holder's file from another's with the same pid (a pid reused after a reboot). */
  nonce: string;
}

export interface LockOptions {
  /** Wait up to this long for the holder to finish instead of refusing at once (default 0: refuse). */
  waitMs?: number;
  /** How often to look again while waiting. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Told once, when the lock is busy and waiting begins (e.g. to say so on the terminal). */
  onWait?: (busy: LockedError) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedBy(what: string, holder: LockInfo, waitedMs: number): LockedError {
  const waited = waitedMs >= 1000 ? `; waited ${Math.round(waitedMs / 1000)} s` : '';
  return new LockedError(`${what} is already running (process ${holder.pid}, since ${holder.startedAt}${waited})`, {
    hint: 'Wait for it to finish, or stop that process first',
  });
}

/**
 * Locks this process holds, by absolute path. A lock file naming our own pid cannot tell a lock we hold from
 * one a previous process with the same pid left (after a reboot, in a container), so we remember our own.
 */
const heldHere = new Map<string, LockInfo>();

/** An aside link older than this belongs to a takeover whose process died midway: it may be cleared. */
const ASIDE_STALE_MS = 10_000;

/**
 * One run per plan at a time, in this process or another (`lifeboat run` and the daemon share it). The lock
 * file holds the holder's pid; a lock left by a process that no longer exists (killed, crashed) is taken over
 * rather than blocking backups forever.
 *
 * Cross-process safety: the file is written under a temp name and then hard-linked into place, so it never
 * exists without its content (an empty file would look stale). A takeover first hard-links the stale file to a
 * name derived from its content; only the one process whose link succeeds, and which then still finds the stale
 * content under that name, removes the lock. A fresh lock that replaced the stale one meanwhile has other
 * content, so it is never removed by a late taker.
 */
export async function acquireLock(path: string, what: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const id = resolve(path);
  const started = Date.now();
  const waitMs = options.waitMs ?? 0;
  let told = false;
  for (;;) {
    try {
      return await tryAcquire(id, what, Date.now() - started);
    } catch (error) {
      if (!hasCode(error, ErrorCode.Locked) || Date.now() - started >= waitMs || options.signal?.aborted) throw error;
      if (!told) options.onWait?.(error as LockedError);
      told = true;
      await sleep(Math.min(options.pollMs ?? 250, waitMs), options.signal);
    }
  }
}

async function tryAcquire(id: string, what: string, waitedMs: number): Promise<() => Promise<void>> {
  const mine = heldHere.get(id);
  if (mine) throw lockedBy(what, mine, waitedMs);
  const info: LockInfo = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  heldHere.set(id, info); // before the first await, so concurrent calls in this process see it
  try {
    await takeLockFile(id, what, info, waitedMs);
  } catch (error) {
    heldHere.delete(id);
    throw error;
  }
  return async () => {
    if (heldHere.get(id) !== info) return; // released already: never free a lock taken again since
    heldHere.delete(id);
    // Only our own file: if someone took the lock over (we were wrongly judged dead), it is theirs now.
    const text = await readFile(id, 'utf8').catch(() => undefined);
    if (text === JSON.stringify(info)) await rm(id, { force: true });
  };
}

async function takeLockFile(path: string, what: string, info: LockInfo, waitedMs: number): Promise<void> {
  await makeDirs(dirname(path));
  const temp = `${path}.${process.pid}.${info.nonce}.tmp`;
  await writeFile(temp, JSON.stringify(info), { flag: 'wx' });
  try {
    for (let tries = 0; tries < 5; tries++) {
      try {
        await link(temp, path); // atomic: the lock appears with its content, or not at all
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile: try again
      const holder = parse(text);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw lockedBy(what, holder, waitedMs);
      await removeStale(path, text); // its holder is gone (or was an earlier process with our pid)
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
  throw new LockedError(`Could not take the lock ${path}`, { hint: 'Another run may be starting; try again' });
}

function parse(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as LockInfo;
    return typeof value.pid === 'number' ? value : undefined;
  } catch {
    return undefined; // garbled: a lock file is never half-written, so this one is not a live holder's
  }
}

/** Removes the lock at `path` only if it still holds exactly `staleText`. */
async function removeStale(path: string, staleText: string): Promise<void> {
  const tag = Buffer.from(staleText).toString('base64url').slice(-24);
  const aside = `${path}.stale-${tag}`;
  try {
    await link(path, aside);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // gone already
    if (code !== 'EEXIST') throw error;
    // Another process is taking this lock over; clear its marker only if it was left by a crash long ago.
    const stat = await lstat(aside).catch(() => undefined);
    if (stat && Date.now() - stat.ctimeMs > ASIDE_STALE_MS) await unlink(aside).catch(() => {});
    await sleep(20);
    return;
  }
  try {
    const linked = await readFile(aside, 'utf8').catch(() => undefined);
    // Under our aside name is whatever `path` held when we linked it: only the stale content may be removed.
    if (linked === staleText) await unlink(path).catch(() => {});
  } finally {
    await unlink(aside).catch(() => {});
  }
}
