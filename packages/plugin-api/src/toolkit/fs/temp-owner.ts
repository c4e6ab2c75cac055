import { hostname } from 'node:os';

/**
 * Temp files carry their owner (process id and host) in their name, so a cleanup can tell a file a live process
 * is still writing (a run of another plan sharing the destination, a restore beside the daemon) from one a killed
 * process left behind, and remove only the latter.
 */
const HOST =
  hostname()
    .replace(/[^A-Za-z0-9.-]/g, '_')
    .slice(0, 64) || 'host';

/** `<pid>@<host>~`: put it in a temp file's name, before a random part; `tempOwner` reads it back. */
export function tempOwnerTag(): string {
  return `${process.pid}@${HOST}~`;
}

export type TempOwner = 'this-process' | 'alive' | 'dead' | 'unknown';

/** Who owns a temp file named with `tempOwnerTag()`: unknown when the name has no tag or another host's. */
export function tempOwner(name: string): TempOwner {
  const match = /(?:^|\.)(\d+)@([A-Za-z0-9._-]+)~/.exec(name);
  if (!match || match[2] !== HOST) return 'unknown';
  const pid = Number(match[1]);
  if (pid === process.pid) return 'this-process';
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'dead';
  }
}

/**
 * A temp file whose owner cannot be asked (another host on a shared drive, or a name from an older version) is
 * taken as abandoned once untouched this long: a live write keeps its file's mtime fresh.
 */
export const UNKNOWN_OWNER_STALE_MS = 60 * 60_000;
