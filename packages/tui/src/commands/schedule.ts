import type { ScheduleService } from '../app/schedule.js';
import type { Io } from '../output/io.js';
import { installedLines, type Line, uninstalledLines, VAULT_NOTE } from '../output/schedule-lines.js';

const print = (io: Io, lines: Line[]) => {
  for (const l of lines) {
    if (l.err) io.err(l.text);
    else io.out(l.text);
  }
};

/**
 * `schedule install [--plan p]`: puts each scheduled plan where the OS keeps schedules (a systemd user timer, a
 * launchd agent, a Task Scheduler task, or a crontab line), so no daemon has to stay running.
 */
export function installSchedule(
  schedule: ScheduleService,
  io: Io,
  options: { plan?: string; flavour?: string },
  env: NodeJS.ProcessEnv = process.env,
) {
  const { needsVaultPassphrase } = schedule.install(options, (p) => print(io, installedLines(p)), env);
  if (needsVaultPassphrase) io.err(VAULT_NOTE);
  return 0;
}

/** `schedule uninstall [--plan p]`: removes exactly what install added (files, the crontab line, the activation). */
export function uninstallSchedule(schedule: ScheduleService, io: Io, options: { plan?: string }) {
  const { any } = schedule.uninstall(options, (p) => print(io, uninstalledLines(p)));
  if (!any) io.err(options.plan ? `Nothing is installed for plan "${options.plan}".` : 'Nothing is installed.');
  return 0;
}
