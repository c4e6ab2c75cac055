import { calendarOf, unsupported } from './calendar.js';
import type { Rendered, RenderInput } from './types.js';

/** The tag that marks a crontab line as this plan's, so uninstall removes exactly that line. */
export const cronTag = (plan: string) => `# lifeboat:${plan}`;

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function cronFields(input: RenderInput): string {
  const calendar = calendarOf(input.schedule, 'cron');
  if (calendar.kind === 'interval') {
    const s = calendar.seconds;
    if (s % 60 === 0 && 3600 % s === 0) return `*/${s / 60} * * * *`;
    if (s % 3600 === 0 && 86_400 % s === 0) return `0 */${s / 3600} * * *`;
    throw unsupported(
      'cron',
      input.schedule,
      'cron repeats by whole minutes that divide an hour, or hours that divide a day',
    );
  }
  if (calendar.second !== '0') throw unsupported('cron', input.schedule, 'cron starts jobs on whole minutes');
  return [calendar.minute, calendar.hour, calendar.dom, calendar.month, calendar.dow].join(' ');
}

/** One crontab line (the fallback where no systemd user session exists). cron does not catch up missed runs. */
export function renderCron(input: RenderInput): Rendered {
  const env = Object.entries(input.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = `${cronFields(input)} ${[...env, ...input.command.map(shellQuote)].join(' ')} ${cronTag(input.plan)}`;
  return { files: [], cronLine: line, activate: [], deactivate: [], check: 'crontab -l | grep lifeboat' };
}

/** The crontab with this plan's line replaced (or added) and every other line kept as it was. */
export function withCronLine(crontab: string, plan: string, line: string | undefined): string {
  const kept = crontab.split('\n').filter((l) => l !== '' && !l.endsWith(` ${cronTag(plan)}`));
  return `${[...kept, ...(line ? [line] : [])].join('\n')}\n`.replace(/^\n$/, '');
}
