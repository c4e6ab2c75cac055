import { describe, expect, it } from 'vitest';
import { NotFoundError, TransientError } from '../errors/index.js';
import { backoffDelay, type RetryPolicy, sleep, withRetry } from './retry.js';

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('backoffDelay', () => {
  const p: RetryPolicy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
  const ceiling = (attempt: number) => Math.min(1_000, 100 * 2 ** (attempt - 1));

  it('doubles with each attempt up to the cap', () => {
    const highest = [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(p, a, () => 1));
    expect(highest).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters within [ceiling / 2, ceiling]', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(backoffDelay(p, attempt, () => 0)).toBe(ceiling(attempt) / 2);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(p, attempt);
        expect(d).toBeGreaterThanOrEqual(ceiling(attempt) / 2);
        expect(d).toBeLessThanOrEqual(ceiling(attempt));
      }
    }
  });

  it('stays capped for very late attempts', () => {
    expect(backoffDelay(p, 2_000, () => 0.999)).toBeLessThanOrEqual(1_000);
  });
});

describe('sleep', () => {
  it('rejects at once when already aborted, and when aborted while waiting', async () => {
    await expect(sleep(10_000, AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error('later'));
    await expect(waiting).rejects.toThrow('later');
  });
});

/** A function failing with `errors` in turn, then succeeding. */
function flaky(errors: unknown[]) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    if (calls.length <= errors.length) throw errors[calls.length - 1];
    return 'done';
  };
  return { fn, calls };
}

describe('withRetry', () => {
  it('retries retryable errors until the call succeeds', async () => {
    const connReset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { fn, calls } = flaky([new TransientError('503'), connReset, { retryable: true }]);
    const retries: number[] = [];
    expect(await withRetry(fn, policy, { onRetry: (i) => retries.push(i.attempt) })).toBe('done');
    expect(calls).toEqual([1, 2, 3, 4]);
    expect(retries).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt with the last error', async () => {
    const errors = [1, 2, 3, 4, 5].map((n) => new TransientError(`try ${n}`));
    const { fn, calls } = flaky(errors);
    await expect(withRetry(fn, policy)).rejects.toBe(errors[3]);
    expect(calls).toHaveLength(4);
  });

  it('stops at once on a non-retryable error', async () => {
    const notFound = new NotFoundError('gone');
    const { fn, calls } = flaky([new TransientError('x'), notFound]);
    await expect(withRetry(fn, policy)).rejects.toBe(notFound);
    expect(calls).toEqual([1, 2]);
    const plain = flaky([new Error('bug'), Object.assign(new Error('denied'), { code: 'EACCES' })]);
    await expect(withRetry(plain.fn, policy)).rejects.toThrow('bug');
    expect(plain.calls).toEqual([1]);
  });

  it('does not retry once the signal is aborted', async () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const fn = async (attempt: number) => {
      calls.push(attempt);
      controller.abort();
      throw new TransientError('x');
    };
    await expect(withRetry(fn, policy, { signal: controller.signal })).rejects.toThrow('x');
    expect(calls).toEqual([1]);
  });

  it('stops waiting when aborted during the backoff', async () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const slow: RetryPolicy = { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const fn = async (attempt: number) => {
      calls.push(attempt);
      throw new TransientError('x');
    };
    const started = performance.now();
    const run = withRetry(fn, slow, { signal: controller.signal, onRetry: () => controller.abort(new Error('stop')) });
    await expect(run).rejects.toThrow('stop');
    expect(calls).toEqual([1]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('runs once with a policy of one attempt', async () => {
    const { fn, calls } = flaky([new TransientError('x')]);
    await expect(withRetry(fn, { ...policy, attempts: 1 })).rejects.toThrow('x');
    expect(calls).toEqual([1]);
  });
});
