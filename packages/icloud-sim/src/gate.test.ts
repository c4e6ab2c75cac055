import { describe, expect, it } from 'vitest';
import { Counters } from './counters.js';
import { Gate } from './gate.js';
import { checkPace, flagName, PROFILES, paceFor } from './pace.js';

function setup(overrides = {}) {
  let clock = 1000;
  const counters = new Counters();
  const pace = paceFor('apple', {
    maxConcurrentDownloads: 2,
    retryAfterSeconds: 5,
    penaltySeconds: 60,
    retryAfterGraceMs: 100,
    ...overrides,
  });
  const gate = new Gate(pace, counters, () => clock);
  return { gate, counters, pace, tick: (ms: number) => (clock += ms) };
}

describe('pace profiles', () => {
  it('keep instant free of waits and limits, and apply overrides', () => {
    const instant = PROFILES.instant;
    expect([instant.cloudkitLatencyMs, instant.downloadBytesPerSecond, instant.maxConcurrentDownloads]).toEqual([
      0, 0, 0,
    ]);
    expect(paceFor('apple', { maxConcurrentDownloads: 3 }).maxConcurrentDownloads).toBe(3);
    expect(paceFor('apple').cloudkitLatencyMs).toBe(PROFILES.apple.cloudkitLatencyMs);
    expect(flagName('maxConcurrentDownloads')).toBe('max-concurrent-downloads');
  });

  it('refuse unknown settings and negative numbers with a clear message', () => {
    expect(() => checkPace({ maxConcurrent: 1 })).toThrow(/unknown profile setting: maxConcurrent \(known: /);
    expect(() => checkPace({ retryAfterSeconds: -1 })).toThrow(/retryAfterSeconds must be a number of at least 0/);
    expect(checkPace({ retryAfterSeconds: '7' })).toEqual({ retryAfterSeconds: 7 });
  });
});

describe('gate', () => {
  it('answers 503 + Retry-After above the concurrency limit, and admits again once a slot is free', () => {
    const { gate, counters, tick } = setup();
    const a = gate.admit('download', 'c1');
    const b = gate.admit('download', 'c1');
    expect(a.ok && b.ok).toBe(true);
    expect(gate.admit('download', 'c2').ok).toBe(true); // limits are per client
    expect(gate.admit('download', 'c1')).toEqual({ ok: false, retryAfterSeconds: 5, violation: false });
    if (a.ok) a.release();
    tick(5000);
    expect(gate.admit('download', 'c1').ok).toBe(true);
    expect(counters.snapshot().peakInFlight.download).toBe(2);
    expect(counters.retryAfterViolations).toBe(0);
  });

  it('punishes a request sent before the Retry-After passed with a longer window, and counts it', () => {
    const { gate, counters, tick } = setup();
    gate.admit('download', 'c1');
    gate.admit('download', 'c1');
    expect(gate.admit('download', 'c1').ok).toBe(false);
    tick(50); // within the grace: sent before the client could have read the 503
    expect(gate.admit('download', 'c1')).toEqual({ ok: false, retryAfterSeconds: 5, violation: false });
    tick(1000);
    expect(gate.admit('download', 'c1')).toEqual({ ok: false, retryAfterSeconds: 60, violation: true });
    expect(counters.retryAfterViolations).toBe(1);
    expect(counters.snapshot().violationsByHost).toEqual({ download: 1 });
    tick(5000); // the first Retry-After has passed, the penalty has not
    expect(gate.admit('download', 'c1')).toMatchObject({ ok: false, violation: true });
    tick(60_001);
    const after = gate.admit('cloudkit', 'c1'); // other hosts keep their own windows
    expect(after.ok).toBe(true);
    expect(counters.retryAfterViolations).toBe(2);
  });

  it('counts a tight retry loop as violations even inside the grace of the first refusal', () => {
    const { gate, counters, tick } = setup({ maxConcurrentDownloads: 1 });
    gate.admit('download', 'c1');
    for (let i = 0; i < 30; i++) {
      gate.admit('download', 'c1');
      tick(10);
    }
    expect(counters.retryAfterViolations).toBeGreaterThanOrEqual(2);
  });

  it('limits sign-in bursts, and refused attempts keep the window shut', () => {
    const { gate, tick } = setup({ signinMaxAttempts: 2, signinWindowSeconds: 10 });
    expect([gate.admitSignin('c1'), gate.admitSignin('c1'), gate.admitSignin('c1')]).toEqual([true, true, false]);
    expect(gate.admitSignin('c2')).toBe(true);
    tick(9000);
    expect(gate.admitSignin('c1')).toBe(false);
    tick(10_001);
    expect(gate.admitSignin('c1')).toBe(true);
  });
});
