import { NotFoundError, TransientError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { throttleOf } from './throttle-signal.js';

describe('throttleOf', () => {
  it("reads core's errors, with the server's Retry-After when given", () => {
    expect(throttleOf(new TransientError('503', { throttled: true }))).toEqual({});
    expect(throttleOf(new TransientError('503', { throttled: true, retryAfterMs: 2000 }))).toEqual({
      retryAfterMs: 2000,
    });
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
