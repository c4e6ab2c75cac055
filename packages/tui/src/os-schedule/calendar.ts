import { type Schedule, UsageError } from '@lifeboat/core';

/** A cron schedule split into its fields (seconds first), or a fixed interval: what the OS formats are built from. */
export type Calendar =
  | { kind: 'cron'; second: string; minute: string; hour: string; dom: string; month: string; dow: string }
  | { kind: 'interval'; seconds: number };

const NICKNAMES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};
const DOW_NAMES: Record<string, string> = { sun: '0', mon: '1', tue: '2', wed: '3', thu: '4', fri: '5', sat: '6' };
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function unsupported(flavour: string, schedule: Schedule, why: string): UsageError {
  return new UsageError(`The ${flavour} scheduler cannot express the schedule "${schedule.spec}": ${why}`, {
    hint: 'Use a simpler schedule (hourly, daily@HH:MM, weekly:<day>@HH:MM), another --flavour, or run `lifeboat daemon` instead',
  });
}

/** The fields of a schedule, with day and month names turned into numbers and `?` into `*`. */
export function calendarOf(schedule: Schedule, flavour: string): Calendar {
  if (schedule.kind === 'interval') return { kind: 'interval', seconds: schedule.intervalMs! / 1000 };
  const pattern = NICKNAMES[schedule.cron!.toLowerCase()] ?? schedule.cron!;
  const parts = pattern.trim().split(/\s+/);
  if (parts.length === 5) parts.unshift('0');
  if (parts.length !== 6) throw unsupported(flavour, schedule, 'only 5- or 6-field cron expressions can be installed');
  const [second, minute, hour, dom, month, dow] = parts.map((p) => p.toLowerCase().replace(/^\?$/, '*')) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  for (const field of parts) {
    if (/[lw#]/i.test(field.replace(/[a-z]{3}/gi, ''))) {
      throw unsupported(flavour, schedule, 'L, W and # cannot be installed');
    }
  }
  if (dom !== '*' && dow !== '*') {
    throw unsupported(flavour, schedule, 'a day of the month together with a day of the week (cron runs on either)');
  }
  return {
    kind: 'cron',
    second,
    minute,
    hour,
    dom,
    month: month.replace(/[a-z]{3}/g, (m) => String(MONTH_NAMES.indexOf(m) + 1)),
    dow: dow.replace(/[a-z]{3}/g, (d) => DOW_NAMES[d] ?? d).replace(/\b7\b/g, '0'),
  };
}

/** Every value a field takes in [min, max], or undefined for `*`. Throws past `limit` values. */
export function expand(field: string, min: number, max: number): number[] | undefined {
  if (field === '*') return undefined;
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range!.includes('-')) [from, to] = range!.split('-').map(Number) as [number, number];
    else [from, to] = [Number(range), stepText === undefined ? Number(range) : max];
    if (![from, to, step].every(Number.isInteger) || step < 1) throw new Error(`cannot read "${field}"`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}
