import type { InstalledPlan, UninstalledPlan } from '../app/schedule.js';

/** One line of a report: results go to stdout, problems to stderr. */
export interface Line {
  text: string;
  err?: boolean;
}

/** What `schedule install` says about one plan (the CLI prints it; the schedule screen shows it). */
export function installedLines(p: InstalledPlan): Line[] {
  const lines: Line[] = [];
  for (const file of p.files) {
    lines.push({ text: `Wrote ${file.path}:` });
    for (const line of file.content.split(/\r?\n/).filter(Boolean)) lines.push({ text: `  ${line}` });
  }
  if (p.cron) {
    lines.push({ text: `Added to ${p.cron.target === 'crontab' ? 'your crontab' : p.cron.target}:\n  ${p.cron.line}` });
  }
  if (p.notActivated) {
    lines.push({ text: 'Not activated (LIFEBOAT_SCHEDULE_DIR is set); to activate, run:' });
    for (const cmd of p.notActivated) lines.push({ text: `  ${cmd}` });
  }
  if (p.activationFailed) {
    lines.push({
      text: `lifeboat: the files are written, but activating them failed: ${p.activationFailed}`,
      err: true,
    });
  }
  lines.push({ text: `Plan "${p.plan}" scheduled with ${p.flavour} (${p.describe}). Check it: ${p.check}` });
  return lines;
}

export const VAULT_NOTE =
  'Note: scheduled runs need LIFEBOAT_VAULT_PASSPHRASE, which is never written into schedule files; set it in the environment the scheduler gives the run, or use the OS keychain.';

/** What `schedule uninstall` says about one plan. */
export function uninstalledLines(p: UninstalledPlan): Line[] {
  return [
    ...(p.deactivationFailed
      ? [{ text: `lifeboat: deactivating plan "${p.plan}" reported: ${p.deactivationFailed}`, err: true }]
      : []),
    ...p.removed.map((removed) => ({ text: `Removed ${removed}` })),
  ];
}
