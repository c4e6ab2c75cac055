import { describe, expect, it } from 'vitest';
import { isoInstant, localCaptureDate } from './capture-date.js';

describe('capture date and time zone', () => {
  const instant = Date.UTC(2018, 6, 31, 7, 22, 24, 816);
  it('gives the local wall clock with the offset of the place', () => {
    expect(localCaptureDate(instant, 25200)).toBe('2018-07-31T14:22:24+07:00');
    expect(localCaptureDate(instant, -8 * 3600)).toBe('2018-07-30T23:22:24-08:00');
    expect(localCaptureDate(instant, 0)).toBe('2018-07-31T07:22:24+00:00');
    expect(localCaptureDate(instant, 5.5 * 3600)).toBe('2018-07-31T12:52:24+05:30');
    expect(localCaptureDate(instant, 12.75 * 3600)).toBe('2018-07-31T20:07:24+12:45');
  });

  it('crosses year boundaries', () => {
    expect(localCaptureDate(Date.UTC(2019, 11, 31, 23, 30), 3600)).toBe('2020-01-01T00:30:00+01:00');
    expect(localCaptureDate(Date.UTC(2020, 0, 1, 0, 30), -3600)).toBe('2019-12-31T23:30:00-01:00');
  });

  it('falls back to UTC without a usable offset, and refuses absurd dates', () => {
    expect(localCaptureDate(instant, undefined)).toBe('2018-07-31T07:22:24Z');
    expect(localCaptureDate(instant, 99 * 3600)).toBe('2018-07-31T07:22:24Z');
    expect(localCaptureDate(undefined, 0)).toBeUndefined();
    expect(localCaptureDate(Number.NaN, 0)).toBeUndefined();
    expect(localCaptureDate(1e16, 0)).toBeUndefined();
    expect(isoInstant(instant)).toBe('2018-07-31T07:22:24.816Z');
  });
});
