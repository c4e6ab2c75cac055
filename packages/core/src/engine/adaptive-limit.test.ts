import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from './adaptive-limit.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Fills every slot, finishes `files` of them (default: all) and moves `bytes` through in one window of 1 s. */
async function window(limit: AdaptiveLimit, c: ReturnType<typeof clock>, bytes: number, files?: number) {
  const n = limit.state.limit;
  for (let i = 0; i < n; i++) await limit.acquire();
  c.advance(1_000);
  for (let i = 0; i < n; i++) limit.release(i < (files ?? n));
  limit.noteBytes(bytes);
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
    await window(limit, c, 4_000_000, 4); // the first measurement may step up once
    for (let i = 0; i < 5; i++) await window(limit, c, 4_000_000, 4);
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
    await window(limit, c, 10_000_000, 3); // first measurement: up to 4
    expect(limit.state.limit).toBe(4);
    await window(limit, c, 6_000_000, 2); // 40% slower after the step, in bytes and files: back to 3
    expect(limit.state.limit).toBe(3);
  });

  it('halves on a throttle, once per burst, and grows back to just under the level that drew it', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 8, max: 16, windowMs: 1_000, now: c.now });
    limit.throttled({ retryAfterMs: 5_000 });
    limit.throttled({ retryAfterMs: 5_000 }); // the other requests that were in flight: the same burst
    expect(limit.state).toMatchObject({ limit: 4, ceiling: 7 });
    c.advance(5_000);
    // Back up, doubling each full window, to the ceiling (the level under the throttle), even at flat throughput:
    // that level worked before. No further: the server said stop above it.
    const seen = [];
    for (let i = 0; i < 3; i++) {
      await window(limit, c, 4_000_000);
      seen.push(limit.state.limit);
    }
    expect(seen).toEqual([7, 7, 7]);
    limit.throttled(); // a new throttle, once the first has passed
    expect(limit.state).toMatchObject({ limit: 3, ceiling: 6, lowest: 3, highest: 8 });
    const one = new AdaptiveLimit({ initial: 1, now: c.now });
    one.throttled();
    expect(one.state.limit).toBe(1); // never below the minimum
  });

  it('stays under a fixed cap it was throttled at, and tries above it only after a long quiet time', async () => {
    const c = clock();
    const limit = new AdaptiveLimit({ initial: 8, max: 16, windowMs: 1_000, probeAfterMs: 60_000, now: c.now });
    await window(limit, c, 8_000_000); // grows while throughput grows...
    expect(limit.state.limit).toBe(9);
    limit.throttled({ retryAfterMs: 5_000 }); // ...until the server's cap answers 503
    expect(limit.state).toMatchObject({ limit: 4, ceiling: 8 });
    c.advance(5_000);
    const seen = [];
    for (let i = 0; i < 8; i++) {
      await window(limit, c, limit.state.limit * 1_000_000); // each file at once adds its share
      seen.push(limit.state.limit);
    }
    expect(seen).toEqual([8, 8, 8, 8, 8, 8, 8, 8]);
    c.advance(60_000);
    await window(limit, c, 8_000_000);
    await window(limit, c, 9_000_000); // after the quiet time, throughput growth may take it above again
    expect(limit.state.limit).toBe(9);
    limit.throttled({ retryAfterMs: 5_000 }); // the cap is still there: back under it, and wait longer to try
    expect(limit.state.ceiling).toBe(8);
    c.advance(70_000);
    for (let i = 0; i < 4; i++) await window(limit, c, limit.state.limit * 1_000_000);
    expect(limit.state.limit).toBe(8);
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
