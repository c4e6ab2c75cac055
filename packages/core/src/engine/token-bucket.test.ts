import { describe, expect, it } from 'vitest';
import { parseBandwidth, TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets bytes through at the rate, shared by concurrent takers', async () => {
    const rate = 1024 * 1024; // 1 MiB/s
    const bucket = new TokenBucket(rate);
    const start = performance.now();
    // Four workers taking 64 KiB chunks: 1.1 MiB past the first burst takes about 1.1 s.
    const total = Math.round(1.1 * rate) + bucket.burstBytes;
    const perWorker = total / 4;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let done = 0; done < perWorker; done += 64 * 1024)
          await bucket.take(Math.min(64 * 1024, perWorker - done));
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    expect(seconds).toBeGreaterThan(1.1 * 0.9);
    expect(seconds).toBeLessThan(1.1 * 1.25);
  });

  it('cuts a take larger than its burst into steps, so one big chunk cannot overshoot', async () => {
    const bucket = new TokenBucket(1000, { burstBytes: 100 });
    const start = performance.now();
    await bucket.take(250); // 100 at once, then 150 at 1,000 bytes/s
    const ms = performance.now() - start;
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(400);
  });

  it('stops waiting when aborted', async () => {
    const bucket = new TokenBucket(10, { burstBytes: 10 });
    await bucket.take(10);
    const abort = new AbortController();
    const taking = bucket.take(10, abort.signal);
    abort.abort(new Error('stopped'));
    await expect(taking).rejects.toThrow('stopped');
  });
});

describe('parseBandwidth', () => {
  it('reads sizes as rclone does', () => {
    expect(parseBandwidth('20M')).toBe(20 * 1024 * 1024);
    expect(parseBandwidth('512K')).toBe(512 * 1024);
    expect(parseBandwidth('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseBandwidth('2MiB/s')).toBe(2 * 1024 * 1024);
    expect(parseBandwidth('1000')).toBe(1000);
    expect(parseBandwidth('off')).toBeUndefined();
    expect(parseBandwidth('0')).toBeUndefined();
  });

  it('refuses what is not a bandwidth, saying what is', () => {
    for (const bad of ['fast', '-1M', '20X', '']) expect(() => parseBandwidth(bad)).toThrow(/use e\.g\. 20M/);
  });
});
