import { Cron } from 'croner';
import type { Schedule } from './spec.js';

function cronOf(schedule: Schedule, timeZone: string | undefined): Cron {
  return new Cron(schedule.cron!, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
}

/**
 * The next `count` run times strictly after `from`. Cron schedules follow the wall clock of `timeZone` (the
 * machine's when undefined), DST included: a time skipped by spring-forward runs at the first valid time after
 * the gap, and a time repeated at fall-back runs once (croner's fixed-time rule).
 */
export function nextRuns(schedule: Schedule, from: Date, count: number, timeZone?: string): Date[] {
  if (schedule.kind === 'interval') {
    const ms = schedule.intervalMs!;
    const first = (Math.floor(from.getTime() / ms) + 1) * ms;
    return Array.from({ length: count }, (_, i) => new Date(first + i * ms));
  }
  return cronOf(schedule, timeZone).nextRuns(count, from);
}

/** The latest slot at or before `at`, or undefined when the schedule has none (a cron that never fired). */
export function latestSlot(schedule: Schedule, at: Date, timeZone?: string): Date | undefined {
  if (schedule.kind === 'interval') {
    const ms = schedule.intervalMs!;
    return new Date(Math.floor(at.getTime() / ms) * ms);
  }
  // croner's previousRuns excludes the reference itself: ask from 1 ms later so a slot at `at` counts.
  return cronOf(schedule, timeZone).previousRuns(1, new Date(at.getTime() + 1))[0];
}

export interface DueState {
  /** When the plan last ran (started), by the daemon or by hand; undefined when it never ran. */
  lastRunAt?: Date;
  now: Date;
  timeZone?: string;
}

export interface Due {
  /** Whether a run is due now. */
  due: boolean;
  /** The slot a due run stands for (the latest one; earlier missed slots are folded into it). */
  slot?: Date;
  /** How many slots passed without a run (more than 1 after sleep or downtime: still one run). */
  missed: number;
  /** The next slot after now. */
  next: Date | undefined;
}

/** Counting missed slots past this stops: the number is for messages, and one run catches up on all. */
const MISSED_CAP = 1000;

/**
 * Whether a plan is due, given when it last ran. A plan is due when a slot passed since its last run; however
 * many slots passed (the machine slept, the daemon was down), that is one catch-up run, never one per slot.
 * A plan that never ran is due at once.
 */
export function dueRun(schedule: Schedule, state: DueState): Due {
  const { now, lastRunAt, timeZone } = state;
  const next = nextRuns(schedule, now, 1, timeZone)[0];
  const slot = latestSlot(schedule, now, timeZone);
  if (!lastRunAt) return slot ? { due: true, slot, missed: 1, next } : { due: true, missed: 0, next };
  if (!slot || slot.getTime() <= lastRunAt.getTime()) return { due: false, missed: 0, next };
  return { due: true, slot, missed: countSlots(schedule, lastRunAt, now, timeZone), next };
}

function countSlots(schedule: Schedule, after: Date, until: Date, timeZone: string | undefined): number {
  if (schedule.kind === 'interval') {
    const ms = schedule.intervalMs!;
    return Math.min(MISSED_CAP, Math.floor(until.getTime() / ms) - Math.floor(after.getTime() / ms));
  }
  const cron = cronOf(schedule, timeZone);
  let n = 0;
  for (let d = cron.nextRun(after); d && d.getTime() <= until.getTime() && n < MISSED_CAP; d = cron.nextRun(d)) n++;
  return n;
}
