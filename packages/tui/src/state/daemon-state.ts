import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import type { StatePaths } from './paths.js';

/** What the daemon remembers per plan across restarts, so a missed run is caught up once after downtime. */
export interface PlanDaemonState {
  /** When the daemon last started a run of the plan (ISO). */
  lastRunAt?: string;
  lastScrubAt?: string;
  /**
   * A source's sign-in expired in an unattended run: the daemon stops running the plan (no retry storm against
   * Apple, one notification) until a run of it succeeds again (`lifeboat login <source>`, then `lifeboat run`).
   */
  needsLogin?: { since: string; sources: string[] };
  /** `<source>@<loginExpiresAt>` of the "sign in again soon" notices already sent: each is sent once. */
  loginSoonNotified?: string[];
}

export interface DaemonState {
  plans: Record<string, PlanDaemonState>;
}

export function planState(state: DaemonState, name: string): PlanDaemonState {
  state.plans[name] ??= {};
  return state.plans[name];
}

export function daemonStateFile(paths: StatePaths): string {
  return join(dirname(paths.locksDir), 'daemon-state.json');
}

export function readDaemonState(file: string): DaemonState {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as DaemonState;
    return value && typeof value.plans === 'object' ? value : { plans: {} };
  } catch {
    return { plans: {} }; // none yet, or unreadable: the catalog's run history still prevents a run storm
  }
}

/** Written whole to a temp file and renamed into place: a crash never leaves half a state file. */
export function writeDaemonState(file: string, state: DaemonState): void {
  makeDirsSync(dirname(file));
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}
