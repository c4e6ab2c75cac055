import { describe, expect, it } from 'vitest';
import { dueRun, latestSlot, nextRuns } from './next-runs.js';
import { parseSchedule } from './spec.js';

const iso = (dates: (Date | undefined)[]) => dates.map((d) => d?.toISOString());
const at = (s: string) => new Date(s);

describe('nextRuns', () => {
  it('gives the next daily runs in the given time zone', () => {
    const daily = parseSchedule('daily@03:00');
    expect(iso(nextRuns(daily, at('2026-01-10T12:00:00Z'), 3, 'America/New_York'))).toEqual([
      '2026-01-11T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-13T08:00:00.000Z',
    ]);
    expect(iso(nextRuns(daily, at('2026-01-10T12:00:00Z'), 1, 'Asia/Tokyo'))).toEqual(['2026-01-10T18:00:00.000Z']);
  });

  it('runs a time skipped by spring-forward once, right after the gap (Europe/Berlin, 29 March 2026)', () => {
    const runs = nextRuns(parseSchedule('daily@02:30'), at('2026-03-28T12:00:00Z'), 3, 'Europe/Berlin');
    // 02:30 does not exist on the 29th: 03:00 CEST (01:00Z) instead; then 02:30 CEST = 00:30Z.
    expect(iso(runs)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  });

  it('runs a time repeated at fall-back once (Europe/Berlin, 25 October 2026)', () => {
    const runs = nextRuns(parseSchedule('daily@02:30'), at('2026-10-24T12:00:00Z'), 3, 'Europe/Berlin');
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): only the first runs.
    expect(iso(runs)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });

  it('keeps the local time of a weekly run across a DST change (America/New_York, 8 March 2026)', () => {
    const runs = nextRuns(parseSchedule('weekly:sun@09:00'), at('2026-03-01T00:00:00Z'), 2, 'America/New_York');
    expect(iso(runs)).toEqual(['2026-03-01T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
  });

  it('counts intervals from the epoch, strictly after the reference', () => {
    const every = parseSchedule('every 10s');
    expect(iso(nextRuns(every, at('2026-01-01T00:00:05Z'), 2))).toEqual([
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
    ]);
    expect(iso(nextRuns(every, at('2026-01-01T00:00:10Z'), 1))).toEqual(['2026-01-01T00:00:20.000Z']);
  });
});

describe('latestSlot', () => {
  it('includes a slot exactly at the reference', () => {
    const daily = parseSchedule('daily@03:00');
    expect(latestSlot(daily, at('2026-01-11T03:00:00Z'), 'UTC')?.toISOString()).toBe('2026-01-11T03:00:00.000Z');
    expect(latestSlot(daily, at('2026-01-11T02:59:59Z'), 'UTC')?.toISOString()).toBe('2026-01-10T03:00:00.000Z');
    expect(latestSlot(parseSchedule('every 1m'), at('2026-01-11T02:59:59Z'))?.toISOString()).toBe(
      '2026-01-11T02:59:00.000Z',
    );
  });
});

describe('dueRun (catch-up)', () => {
  const daily = parseSchedule('daily@03:00');
  const tz = 'UTC';

  it('is not due while no slot passed since the last run', () => {
    const due = dueRun(daily, { lastRunAt: at('2026-01-11T03:00:02Z'), now: at('2026-01-11T20:00:00Z'), timeZone: tz });
    expect(due).toMatchObject({ due: false, missed: 0 });
    expect(due.next?.toISOString()).toBe('2026-01-12T03:00:00.000Z');
  });

  it('is due once for the slot that just passed', () => {
    const due = dueRun(daily, { lastRunAt: at('2026-01-10T03:00:01Z'), now: at('2026-01-11T03:00:00Z'), timeZone: tz });
    expect(due).toMatchObject({ due: true, missed: 1 });
    expect(due.slot?.toISOString()).toBe('2026-01-11T03:00:00.000Z');
  });

  it('folds five days of downtime into one run for the latest slot', () => {
    const now = at('2026-01-16T09:00:00Z');
    const due = dueRun(daily, { lastRunAt: at('2026-01-10T03:00:01Z'), now, timeZone: tz });
    expect(due).toMatchObject({ due: true, missed: 6 });
    expect(due.slot?.toISOString()).toBe('2026-01-16T03:00:00.000Z');
    // Once that run is recorded, nothing more is due until the next slot: one run, not one per missed slot.
    expect(dueRun(daily, { lastRunAt: now, now: at('2026-01-16T09:00:05Z'), timeZone: tz }).due).toBe(false);
  });

  it('catches up after the machine slept through interval slots', () => {
    const every = parseSchedule('every 5m');
    const due = dueRun(every, { lastRunAt: at('2026-01-01T00:00:00Z'), now: at('2026-01-01T01:02:00Z') });
    expect(due).toMatchObject({ due: true, missed: 12 });
    expect(due.slot?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(due.next?.toISOString()).toBe('2026-01-01T01:05:00.000Z');
  });

  it('counts a manual run after the slot as covering it', () => {
    const due = dueRun(daily, { lastRunAt: at('2026-01-11T05:00:00Z'), now: at('2026-01-11T09:00:00Z'), timeZone: tz });
    expect(due.due).toBe(false);
  });

  it('makes a plan that never ran due at once', () => {
    expect(dueRun(daily, { now: at('2026-01-11T09:00:00Z'), timeZone: tz }).due).toBe(true);
  });

  it('catches up across a DST change without a duplicate run (fall-back night)', () => {
    const nightly = parseSchedule('daily@02:30');
    const berlin = 'Europe/Berlin';
    const first = dueRun(nightly, {
      lastRunAt: at('2026-10-24T00:30:01Z'),
      now: at('2026-10-25T00:30:00Z'),
      timeZone: berlin,
    });
    expect(first).toMatchObject({ due: true, missed: 1 });
    const second = dueRun(nightly, { lastRunAt: first.slot!, now: at('2026-10-25T01:30:00Z'), timeZone: berlin });
    expect(second.due).toBe(false);
  });
});
