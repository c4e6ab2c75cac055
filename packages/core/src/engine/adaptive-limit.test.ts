import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from './adaptive-limit.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Fills every slot, moves `bytes` through in one window of `ms`, then frees the slots. */
async function window(limit: AdaptiveLimit, c: ReturnType<typeof clock>, bytes: number, ms = 1_000) {
  const n = limit.state.limit;
  for (let i = 0; i < n; i++) await limit.acquire();
  c.advance(ms);
  limit.noteBytes(bytes);
  for (let i = 0; i < n; i++) limit.release();
}

describe('AdaptiveLimit', () => {
  it('lets no more than the limit in at once; the next waits for a release', async () => {
    const limit = new AdaptiveLimit({ initial: 2, max: 8 });
    await limit.acquire();
    await limit.acquire();
    let third = false;
    const waiting = limit.acquire().then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    limit.release();
    await waiting;
    expect(third).toBe(true);
    expect(limit.state.inFlight).toBe(2);
  });

  it('grows one step per full window while throughput grows, up to its max', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 2, max: 5, windowMs: 1_000, now: c.now });
    const seen = [limit.state.limit];
    for (let i = 1; i <= 6; i++) {
      await window(limit, c, i * 1_000_000);
      seen.push(limit.state.limit);
    }
    expect(seen).toEqual([2, 3, 4, 5, 5, 5, 5]);
  });

  it('does not grow while throughput stays flat (a bandwidth limit, a saturated link)', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 4, max: 16, windowMs: 1_000, now: c.now });
    await window(limit, c, 4_000_000); // the first measurement may step up once
    for (let i = 0; i < 5; i++) await window(limit, c, 4_000_000);
    expect(limit.state.limit).toBe(5);
  });

  it('does not grow when its slots are not all used (more concurrency would change nothing)', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 4, max: 16, windowMs: 1_000, now: c.now });
    for (let i = 1; i <= 3; i++) {
      await limit.acquire(); // one of four
      c.advance(1_000);
      limit.noteBytes(i * 1_000_000);
      limit.release();
    }
    expect(limit.state.limit).toBe(4);
  });

  it('steps back when the last step up made it slower', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 3, max: 16, windowMs: 1_000, now: c.now });
    await window(limit, c, 10_000_000); // first measurement: up to 4
    expect(limit.state.limit).toBe(4);
    await window(limit, c, 6_000_000); // 40% slower after the step: back to 3
    expect(limit.state.limit).toBe(3);
  });

  it('halves on a throttle and grows back once the server copes again', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 8, max: 8, windowMs: 1_000, now: c.now });
    limit.throttled();
    expect(limit.state.limit).toBe(4);
    limit.throttled();
    limit.throttled();
    limit.throttled();
    expect(limit.state.limit).toBe(1); // never below the minimum
    // A server that copes again: each file in flight adds its share of throughput.
    for (let i = 0; i < 10; i++) await window(limit, c, limit.state.limit * 1_000_000);
    expect(limit.state.limit).toBe(8);
    expect(limit.state).toMatchObject({ lowest: 1, highest: 8 });
  });

  it('sends nothing before a Retry-After has passed, then lets waiters in', async () => {
    const limit = new AdaptiveLimit({ initial: 4 });
    const start = Date.now();
    limit.throttled({ retryAfterMs: 150 });
    expect(limit.waitMs()).toBeGreaterThan(100);
    await limit.acquire();
    expect(Date.now() - start).toBeGreaterThanOrEqual(150);
    expect(limit.waitMs()).toBe(0);
    limit.release();
  });

  it('gives up waiting when aborted, holding nothing', async () => {
    const limit = new AdaptiveLimit({ initial: 1 });
    await limit.acquire();
    const abort = new AbortController();
    const waiting = limit.acquire(abort.signal);
    abort.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(limit.state.inFlight).toBe(1);
  });
});
