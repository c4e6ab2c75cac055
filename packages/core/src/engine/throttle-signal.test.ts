import { NotFoundError, parseRetryAfter, ThrottledError, TransientError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { throttleOf } from './throttle-signal.js';

describe('throttleOf', () => {
  it("reads core's errors, with the server's Retry-After when given", () => {
    expect(throttleOf(new ThrottledError('503'))).toEqual({});
    expect(throttleOf(new ThrottledError('503', { retryAfterMs: 2000 }))).toEqual({ retryAfterMs: 2000 });
    expect(throttleOf(new TransientError('busy', { retryAfterMs: 500 }))).toEqual({ retryAfterMs: 500 });
  });

  it('reads HTTP statuses, S3 and timeout codes, also from a wrapped cause', () => {
    expect(throttleOf(Object.assign(new Error('x'), { status: 503 }))).toEqual({});
    expect(throttleOf(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }))).toEqual({});
    expect(throttleOf(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' }))).toEqual({});
    expect(throttleOf(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toEqual({});
    const cause = Object.assign(new Error('slow'), { code: 'SlowDown' });
    expect(throttleOf(new TransientError('S3 write failed', { cause }))).toEqual({});
  });

  it('says nothing for errors unrelated to load, or a stop', () => {
    expect(throttleOf(new TransientError('connection reset'))).toBeUndefined();
    expect(throttleOf(new NotFoundError('gone'))).toBeUndefined();
    expect(throttleOf(Object.assign(new Error('x'), { status: 404 }))).toBeUndefined();
    expect(throttleOf(Object.assign(new Error('stopped'), { name: 'AbortError' }))).toBeUndefined();
    expect(throttleOf('503')).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 1.5 ')).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
