import { open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
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

/**
 * One run per plan at a time. The lock file holds the holder's pid; a lock left by a process that no longer
 * exists (killed, crashed) is taken over rather than blocking backups forever.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  await makeDirs(dirname(path));
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(path, 'wx');
      const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(path, 'utf8')
        .then((t) => JSON.parse(t) as LockInfo)
        .catch(() => undefined);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        throw new LockedError(`${what} is already running (process ${holder.pid}, since ${holder.startedAt})`, {
          hint: 'Wait for it to finish, or stop that process first',
        });
      }
      await rm(path, { force: true }); // stale: its holder is gone
    }
  }
  throw new LockedError(`Could not take the lock ${path}`, { hint: 'Another run may be starting; try again' });
}
