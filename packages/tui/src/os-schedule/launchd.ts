import { join } from 'node:path';
import { calendarOf, expand, unsupported } from './calendar.js';
import type { Rendered, RenderInput } from './types.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const MAX_ENTRIES = 200;

/** The `StartCalendarInterval` dictionaries for a cron calendar: launchd takes one value per key, so lists expand. */
function calendarEntries(input: RenderInput): Record<string, number>[] {
  const calendar = calendarOf(input.schedule, 'launchd');
  if (calendar.kind !== 'cron') return [];
  if (calendar.second !== '0') throw unsupported('launchd', input.schedule, 'launchd starts jobs on whole minutes');
  const fields: [string, number[] | undefined][] = [
    ['Minute', expand(calendar.minute, 0, 59)],
    ['Hour', expand(calendar.hour, 0, 23)],
    ['Day', expand(calendar.dom, 1, 31)],
    ['Month', expand(calendar.month, 1, 12)],
    ['Weekday', expand(calendar.dow, 0, 6)],
  ];
  let entries: Record<string, number>[] = [{}];
  for (const [key, values] of fields) {
    if (!values) continue;
    entries = entries.flatMap((e) => values.map((v) => ({ ...e, [key]: v })));
    if (entries.length > MAX_ENTRIES)
      throw unsupported('launchd', input.schedule, `more than ${MAX_ENTRIES} start times`);
  }
  return entries;
}

/**
 * A launchd agent (~/Library/LaunchAgents). launchd runs a calendar job missed while the Mac slept once on wake,
 * which is the catch-up Lifeboat wants.
 */
export function renderLaunchd(input: RenderInput): Rendered {
  const label = `com.lifeboat.plan.${input.plan}`;
  const calendar = calendarOf(input.schedule, 'launchd');
  const timing =
    calendar.kind === 'interval'
      ? [`  <key>StartInterval</key>`, `  <integer>${calendar.seconds}</integer>`]
      : [
          '  <key>StartCalendarInterval</key>',
          '  <array>',
          ...calendarEntries(input).map(
            (e) =>
              `    <dict>${Object.entries(e)
                .map(([k, v]) => `<key>${k}</key><integer>${v}</integer>`)
                .join('')}</dict>`,
          ),
          '  </array>',
        ];
  const env = Object.entries(input.env);
  const plist = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `lifeboat schedule install`; removed by `lifeboat schedule uninstall`. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${xml(label)}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...input.command.map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    ...(env.length
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          ...env.map(([k, v]) => `    <key>${xml(k)}</key><string>${xml(v)}</string>`),
          '  </dict>',
        ]
      : []),
    ...timing,
    '  <key>RunAtLoad</key>',
    '  <false/>',
    '  <key>StandardOutPath</key>',
    `  <string>${xml(join(input.logsDir, `launchd-${input.plan}.log`))}</string>`,
    '  <key>StandardErrorPath</key>',
    `  <string>${xml(join(input.logsDir, `launchd-${input.plan}.log`))}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
  const file = `${label}.plist`;
  return {
    files: [{ name: file, content: plist }],
    activate: [['launchctl', 'bootstrap', `gui/${process.getuid?.() ?? 501}`, `{dir}/${file}`]],
    deactivate: [['launchctl', 'bootout', `gui/${process.getuid?.() ?? 501}/${label}`]],
    check: `launchctl print gui/$(id -u)/${label}`,
  };
}
