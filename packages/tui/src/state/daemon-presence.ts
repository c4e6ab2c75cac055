import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import type { StatePaths } from './paths.js';

/** What a running `lifeboat daemon` leaves in the state folder, so `status` and the home screen can tell it runs. */
export interface DaemonPresence {
  pid: number;
  startedAt: string;
  /** The address of its metrics endpoint, when it serves one. */
  metrics?: string;
}

export function daemonPresenceFile(paths: StatePaths): string {
  return join(dirname(paths.locksDir), 'daemon.json');
}

/** Written when the daemon starts; the returned function removes it again when it stops. */
export function markDaemonRunning(paths: StatePaths, presence: DaemonPresence): () => void {
  const file = daemonPresenceFile(paths);
  makeDirsSync(dirname(file));
  writeFileSync(file, `${JSON.stringify(presence)}\n`);
  return () => {
    if (runningDaemon(paths)?.pid === presence.pid) rmSync(file, { force: true });
  };
}

/** The daemon that runs now, if one does: its file names a live process (a killed daemon leaves a stale file). */
export function runningDaemon(paths: StatePaths): DaemonPresence | undefined {
  let presence: DaemonPresence;
  try {
    presence = JSON.parse(readFileSync(daemonPresenceFile(paths), 'utf8')) as DaemonPresence;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(presence.pid) || presence.pid <= 0) return undefined;
  try {
    process.kill(presence.pid, 0);
    return presence;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else (still a running daemon for this state folder).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? presence : undefined;
  }
}
