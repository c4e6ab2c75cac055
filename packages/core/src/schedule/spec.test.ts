import type { LifeboatError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { checkTimeZone, parseSchedule } from './spec.js';

function refusal(spec: string): LifeboatError {
  try {
    parseSchedule(spec);
  } catch (error) {
    return error as LifeboatError;
  }
  throw new Error(`"${spec}" was accepted`);
}

describe('parseSchedule', () => {
  it('turns the presets into cron patterns', () => {
    expect(parseSchedule('hourly')).toMatchObject({ kind: 'cron', cron: '0 * * * *' });
    expect(parseSchedule('daily@03:00')).toMatchObject({ kind: 'cron', cron: '0 3 * * *', describe: 'daily at 03:00' });
    expect(parseSchedule('daily@7:05').cron).toBe('5 7 * * *');
    expect(parseSchedule('weekly:sun@23:30')).toMatchObject({
      cron: '30 23 * * 0',
      describe: 'weekly on sun at 23:30',
    });
    expect(parseSchedule('Weekly:Monday@06:00').cron).toBe('0 6 * * 1');
  });

  it('reads intervals in seconds, minutes and hours', () => {
    expect(parseSchedule('every 30s')).toMatchObject({ kind: 'interval', intervalMs: 30_000 });
    expect(parseSchedule('every 5m').intervalMs).toBe(300_000);
    expect(parseSchedule('every6h').intervalMs).toBe(6 * 3_600_000);
  });

  it('accepts 5- and 6-field cron expressions and nicknames, keeping the spec as typed', () => {
    expect(parseSchedule('30 2 * * 1-5')).toMatchObject({ kind: 'cron', cron: '30 2 * * 1-5', spec: '30 2 * * 1-5' });
    expect(parseSchedule('*/10 * * * * *').cron).toBe('*/10 * * * * *');
    expect(parseSchedule('@daily').kind).toBe('cron');
  });

  it('refuses invalid specs, saying why and what is accepted', () => {
    const minute = refusal('61 * * * *');
    expect(minute.code).toBe('LIFEBOAT_USAGE');
    expect(minute.message).toBe('Invalid schedule "61 * * * *": Invalid value for minute: 61');
    expect(minute.hint).toContain('daily@HH:MM');
    expect(refusal('a b c').message).toContain('exactly five, six, or seven');
    expect(refusal('daily@25:00').message).toContain('"25:00" is not a time of day');
    expect(refusal('weekly:funday@10:00').message).toContain('"funday" is not a day of the week');
    expect(refusal('every 0s').message).toContain('at least 1');
    expect(refusal('every 30d').message).toContain('not written as expected');
    expect(refusal('  ').message).toContain('empty');
  });
});

describe('checkTimeZone', () => {
  it('accepts IANA names and refuses unknown ones', () => {
    expect(() => checkTimeZone('Europe/Berlin')).not.toThrow();
    expect(() => checkTimeZone('Mars/Base')).toThrow('Unknown time zone "Mars/Base"');
  });
});
