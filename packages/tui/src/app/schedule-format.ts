import { nextRuns, parseSchedule } from '@lifeboat/core';

/** "2026-01-11 03:00 CET": a run time in the machine's local time zone. */
export function localTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${p('timeZoneName')}`;
}

/** What `plan show` and `status` say about a plan's schedule: its description and the next runs. */
export function scheduleReport(spec: string | undefined, count: number, now = new Date()) {
  if (!spec) return null;
  try {
    const schedule = parseSchedule(spec);
    return {
      spec,
      describe: schedule.describe,
      nextRuns: nextRuns(schedule, now, count).map((d) => d.toISOString()),
    };
  } catch (error) {
    return { spec, describe: `invalid: ${(error as Error).message}`, nextRuns: [] as string[] };
  }
}
