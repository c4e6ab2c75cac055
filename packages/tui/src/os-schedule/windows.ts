import { calendarOf, unsupported } from './calendar.js';
import type { Rendered, RenderInput } from './types.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number) => String(n).padStart(2, '0');

/** One Task Scheduler trigger; only what Task Scheduler can say without a trigger per start time. */
function trigger(input: RenderInput): string[] {
  const calendar = calendarOf(input.schedule, 'windows');
  if (calendar.kind === 'interval') {
    if (calendar.seconds % 60 !== 0)
      throw unsupported('windows', input.schedule, 'Task Scheduler repeats at most every minute');
    return [
      '    <TimeTrigger>',
      '      <StartBoundary>2026-01-01T00:00:00</StartBoundary>',
      `      <Repetition><Interval>PT${calendar.seconds / 60}M</Interval><StopAtDurationEnd>false</StopAtDurationEnd></Repetition>`,
      '    </TimeTrigger>',
    ];
  }
  const single = (f: string) => /^\d+$/.test(f);
  if (calendar.second !== '0' || !single(calendar.minute) || calendar.dom !== '*' || calendar.month !== '*') {
    throw unsupported('windows', input.schedule, 'only hourly, daily and weekly times can be expressed');
  }
  const minute = pad(Number(calendar.minute));
  if (calendar.hour === '*' && calendar.dow === '*') {
    return [
      '    <TimeTrigger>',
      `      <StartBoundary>2026-01-01T00:${minute}:00</StartBoundary>`,
      '      <Repetition><Interval>PT1H</Interval><StopAtDurationEnd>false</StopAtDurationEnd></Repetition>',
      '    </TimeTrigger>',
    ];
  }
  if (!single(calendar.hour)) throw unsupported('windows', input.schedule, 'several hours a day');
  const start = `      <StartBoundary>2026-01-01T${pad(Number(calendar.hour))}:${minute}:00</StartBoundary>`;
  if (calendar.dow === '*') {
    return [
      '    <CalendarTrigger>',
      start,
      '      <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>',
      '    </CalendarTrigger>',
    ];
  }
  const days = calendar.dow.split(',').flatMap((part) => {
    const range = /^(\d)(?:-(\d))?$/.exec(part);
    if (!range) throw unsupported('windows', input.schedule, `the day-of-week field "${calendar.dow}"`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    return DAYS.slice(from, to + 1);
  });
  return [
    '    <CalendarTrigger>',
    start,
    '      <ScheduleByWeek>',
    `        <DaysOfWeek>${days.map((d) => `<${d} />`).join('')}</DaysOfWeek>`,
    '        <WeeksInterval>1</WeeksInterval>',
    '      </ScheduleByWeek>',
    '    </CalendarTrigger>',
  ];
}

function quoteArg(arg: string): string {
  return /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

/**
 * A Task Scheduler task (imported with `schtasks /Create /XML`). `StartWhenAvailable` runs a start missed while
 * the PC was off, once; `IgnoreNew` never starts a second run while one is going.
 */
export function renderWindows(input: RenderInput): Rendered {
  const [program, ...args] = input.command;
  const task = `Lifeboat\\${input.plan}`;
  const file = `lifeboat-${input.plan}.xml`;
  const content = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Written by `lifeboat schedule install`; removed by `lifeboat schedule uninstall`. -->',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Description>Lifeboat backup of plan ${xml(input.plan)} (${xml(input.schedule.describe)})</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    ...trigger(input),
    '  </Triggers>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <ExecutionTimeLimit>PT72H</ExecutionTimeLimit>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xml(program!)}</Command>`,
    `      <Arguments>${xml(args.map(quoteArg).join(' '))}</Arguments>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
  return {
    files: [{ name: file, content }],
    activate: [['schtasks', '/Create', '/TN', task, '/XML', `{dir}\\${file}`, '/F']],
    deactivate: [['schtasks', '/Delete', '/TN', task, '/F']],
    check: `schtasks /Query /TN "${task}" /V /FO LIST`,
  };
}
