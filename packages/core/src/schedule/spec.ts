import { UsageError } from '@lifeboat/plugin-api';
import { Cron } from 'croner';

/**
 * A plan's schedule, parsed. The spec a user types is one of:
 * - `hourly` (at minute 0), `daily@HH:MM`, `weekly:<mon|tue|...|sun>@HH:MM` (local time of the machine, or the
 *   time zone given to the functions below);
 * - `every <N>s|m|h` (`every 30s`, `every 6h`): fixed intervals counted from the Unix epoch, so every process
 *   agrees on the slots without shared state (handy for tests and frequent folder backups);
 * - a 5-field cron expression (`30 2 * * 1-5`) or 6 fields with seconds first, or a nickname (`@daily`).
 */
export interface Schedule {
  /** The spec as the user gave it (trimmed): what is stored in the config. */
  spec: string;
  kind: 'cron' | 'interval';
  /** The cron pattern croner runs (for presets, the pattern they stand for). */
  cron?: string;
  intervalMs?: number;
  /** For messages: "daily at 03:00", "every 30 s", "cron 30 2 * * 1-5". */
  describe: string;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HINT =
  'Use hourly, daily@HH:MM, weekly:<mon..sun>@HH:MM, every <N>s|m|h (e.g. "every 30s"), or a cron expression such as "30 2 * * *"';
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

function refuse(spec: string, reason: string): never {
  throw new UsageError(`Invalid schedule "${spec}": ${reason}`, { hint: HINT });
}

function time(spec: string, hhmm: string): { h: number; m: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) refuse(spec, `"${hhmm}" is not a time of day (HH:MM, 00:00 to 23:59)`);
  return { h: Number(match[1]), m: Number(match[2]) };
}

/** Parses a schedule spec; refuses an invalid one with the reason (croner's, for cron expressions). */
export function parseSchedule(input: string): Schedule {
  const spec = input.trim();
  if (spec === '') refuse(input, 'it is empty');
  const lower = spec.toLowerCase();
  if (lower === 'hourly') return { spec, kind: 'cron', cron: '0 * * * *', describe: 'hourly, at minute 0' };
  const daily = /^daily@(.+)$/.exec(lower);
  if (daily) {
    const { h, m } = time(spec, daily[1]!);
    return { spec, kind: 'cron', cron: `${m} ${h} * * *`, describe: `daily at ${pad(h)}:${pad(m)}` };
  }
  const weekly = /^weekly:([a-z]+)@(.+)$/.exec(lower);
  if (weekly) {
    const day = DAYS.findIndex((d) => weekly[1]!.startsWith(d) && weekly[1]!.length >= 3);
    if (day < 0) refuse(spec, `"${weekly[1]}" is not a day of the week (mon, tue, wed, thu, fri, sat, sun)`);
    const { h, m } = time(spec, weekly[2]!);
    return {
      spec,
      kind: 'cron',
      cron: `${m} ${h} * * ${day}`,
      describe: `weekly on ${DAYS[day]} at ${pad(h)}:${pad(m)}`,
    };
  }
  const every = /^every\s*(\d+)\s*([smh])$/.exec(lower);
  if (every) {
    const n = Number(every[1]);
    const unit = every[2] as keyof typeof UNIT_MS;
    if (n < 1) refuse(spec, 'the interval must be at least 1');
    const intervalMs = n * UNIT_MS[unit];
    if (intervalMs > 7 * 24 * 3_600_000) refuse(spec, 'intervals longer than a week are not supported; use weekly');
    return { spec, kind: 'interval', intervalMs, describe: `every ${n} ${unit}` };
  }
  if (/^(daily|weekly|every|hourly)\b/.test(lower)) refuse(spec, 'this preset is not written as expected');
  try {
    new Cron(spec, { paused: true, mode: 'auto' }).nextRun(new Date(0));
  } catch (error) {
    refuse(spec, (error as Error).message.replace(/^CronPattern: /, ''));
  }
  return { spec, kind: 'cron', cron: spec, describe: `cron ${spec}` };
}

/** Throws a UsageError when `timeZone` is not an IANA zone name the runtime knows. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UsageError(`Unknown time zone "${timeZone}"`, { hint: 'Use an IANA name such as Europe/Berlin' });
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
