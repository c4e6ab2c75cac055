import type { Schedule } from '@lifeboat/core';
import { type Calendar, calendarOf, unsupported } from './calendar.js';
import type { Rendered, RenderInput } from './types.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function field(value: string, start: number): string {
  // cron `*/n` and `a-b` read as systemd `start/n` and `a..b`; lists stay lists.
  return value
    .split(',')
    .map((part) => part.replace(/^\*\/(\d+)$/, `${start}/$1`).replace(/^(\d+)-(\d+)$/, '$1..$2'))
    .join(',');
}

function weekdays(dow: string, schedule: Schedule): string {
  return dow
    .split(',')
    .map((part) => {
      const range = /^(\d)(?:-(\d))?$/.exec(part);
      if (!range) throw unsupported('systemd', schedule, `the day-of-week field "${dow}"`);
      return range[2] === undefined ? DAYS[Number(range[1])] : `${DAYS[Number(range[1])]}..${DAYS[Number(range[2])]}`;
    })
    .join(',');
}

/** `OnCalendar=` for a cron calendar (systemd.time(7)). */
export function onCalendar(calendar: Extract<Calendar, { kind: 'cron' }>, schedule: Schedule): string {
  if ([calendar.minute, calendar.hour, calendar.dom, calendar.month, calendar.second].some((f) => /\d-\d+\//.test(f))) {
    throw unsupported('systemd', schedule, 'a range with a step');
  }
  const dow = calendar.dow === '*' ? '' : `${weekdays(calendar.dow, schedule)} `;
  const pad = (f: string) => (/^\d$/.test(f) ? `0${f}` : f);
  return `${dow}*-${field(calendar.month, 1)}-${field(calendar.dom, 1)} ${pad(field(calendar.hour, 0))}:${pad(field(calendar.minute, 0))}:${pad(field(calendar.second, 0))}`;
}

/** A systemd user service (one run) and its timer; `Persistent=true` runs a slot missed while off, once. */
export function renderSystemd(input: RenderInput): Rendered {
  const unit = `lifeboat-${input.plan}`;
  const calendar = calendarOf(input.schedule, 'systemd');
  const timing =
    calendar.kind === 'cron'
      ? [`OnCalendar=${onCalendar(calendar, input.schedule)}`, 'Persistent=true']
      : [`OnActiveSec=${calendar.seconds}s`, `OnUnitActiveSec=${calendar.seconds}s`, 'AccuracySec=1s'];
  const env = Object.entries(input.env).map(([k, v]) => `Environment="${k}=${v.replace(/(["\\])/g, '\\$1')}"`);
  const service = [
    '# Written by `lifeboat schedule install`; removed by `lifeboat schedule uninstall`.',
    '[Unit]',
    `Description=Lifeboat backup of plan ${input.plan}`,
    '',
    '[Service]',
    'Type=oneshot',
    ...env,
    `ExecStart=${input.command.map(quoteSystemd).join(' ')}`,
    // A run stopped by systemd gets SIGTERM: it abandons in-flight copies cleanly, like Ctrl+C.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=60',
    '',
  ].join('\n');
  const timer = [
    '# Written by `lifeboat schedule install`; removed by `lifeboat schedule uninstall`.',
    '[Unit]',
    `Description=Lifeboat schedule of plan ${input.plan} (${input.schedule.describe})`,
    '',
    '[Timer]',
    ...timing,
    `Unit=${unit}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return {
    files: [
      { name: `${unit}.service`, content: service },
      { name: `${unit}.timer`, content: timer },
    ],
    activate: [
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', `${unit}.timer`],
    ],
    deactivate: [
      ['systemctl', '--user', 'disable', '--now', `${unit}.timer`],
      ['systemctl', '--user', 'daemon-reload'],
    ],
    check: `systemctl --user list-timers ${unit}.timer; journalctl --user -u ${unit}.service`,
  };
}

function quoteSystemd(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}
