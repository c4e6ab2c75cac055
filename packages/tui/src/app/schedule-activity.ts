import { dirname, join } from 'node:path';
import { readManifest } from '../os-schedule/install.js';
import { runningDaemon } from '../state/daemon-presence.js';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { TOKENS } from './tokens.js';

/** Whether anything will actually run a plan's schedule, and what. */
export interface ScheduleActivity {
  active: boolean;
  /** "lifeboat daemon (pid 4242)", "systemd timer"... empty when nothing runs it. */
  by: string[];
  /** Installed in the OS scheduler but never activated there (a failed or dry install): what was found. */
  inactive?: string;
}

/**
 * A saved schedule runs only while `lifeboat daemon` runs, or once installed (and enabled) in the OS scheduler.
 * `status` and the home screen ask here before showing a next run as if it will happen (issue 15).
 */
@injectable()
export class ScheduleActivityService {
  constructor(@inject(TOKENS.paths) private readonly paths: StatePaths) {}

  of(plan: string): ScheduleActivity {
    const by: string[] = [];
    const daemon = runningDaemon(this.paths);
    if (daemon) by.push(`lifeboat daemon (pid ${daemon.pid})`);
    const entry = readManifest(join(dirname(this.paths.locksDir), 'schedule-installed.json')).plans[plan];
    if (entry?.activated) by.push(`${entry.flavour === 'cron' ? 'crontab' : entry.flavour} (installed)`);
    const inactive =
      entry && !entry.activated
        ? `installed for ${entry.flavour} but not activated (${entry.files[0] ?? entry.crontab ?? 'no file'})`
        : undefined;
    return { active: by.length > 0, by, ...(inactive ? { inactive } : {}) };
  }
}
