import { open, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LockedError } from '../errors/index.js';
import { makeDirs } from '../util/make-dirs.js';

interface LockInfo {
  pid: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedBy(what: string, holder: LockInfo): LockedError {
  return new LockedError(`${what} is already running (process ${holder.pid}, since ${holder.startedAt})`, {
    hint: 'Wait for it to finish, or stop that process first',
  });
}

/**
 * Locks this process holds, by absolute path. A lock file naming our own pid cannot tell a lock we hold from
 * one a previous process with the same pid left (after a reboot, in a container), so we remember our own.
 */
const heldHere = new Map<string, LockInfo>();

/**
 * One run per plan at a time, in this process or another. The lock file holds the holder's pid; a lock left
 * by a process that no longer exists (killed, crashed) is taken over rather than blocking backups forever.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  const id = resolve(path);
  const mine = heldHere.get(id);
  if (mine) throw lockedBy(what, mine);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  heldHere.set(id, info); // before the first await, so concurrent calls in this process see it
  try {
    await takeLockFile(path, what, info);
  } catch (error) {
    heldHere.delete(id);
    throw error;
  }
  return async () => {
    if (heldHere.get(id) !== info) return; // released already: never free a lock taken again since
    await rm(path, { force: true });
    heldHere.delete(id);
  };
}

async function takeLockFile(path: string, what: string, info: LockInfo): Promise<void> {
  await makeDirs(dirname(path));
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(path, 'utf8')
        .then((t) => JSON.parse(t) as LockInfo)
        .catch(() => undefined);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw lockedBy(what, holder);
      await rm(path, { force: true }); // stale: its holder is gone (or was an earlier process with our pid)
    }
  }
  throw new LockedError(`Could not take the lock ${path}`, { hint: 'Another run may be starting; try again' });
}
