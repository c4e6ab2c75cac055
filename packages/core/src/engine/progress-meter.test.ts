import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('ProgressMeter', () => {
  it('reports totals, what is done and the current file', () => {
    const clock = fakeClock();
    const meter = new ProgressMeter(3, 3_000, clock.now);
    meter.filesDone = 1;
    meter.addBytes(1_000);
    meter.currentFile = 'IMG_0002.JPG';
    clock.advance(1_000);
    expect(meter.snapshot()).toEqual({
      filesDone: 1,
      filesTotal: 3,
      bytesDone: 1_000,
      bytesTotal: 3_000,
      bytesPerSecond: 1_000,
      etaSeconds: 2,
      currentFile: 'IMG_0002.JPG',
    });
  });

  it('has no throughput or ETA before time passes or bytes move', () => {
    const clock = fakeClock();
    const meter = new ProgressMeter(1, 100, clock.now);
    expect(meter.snapshot()).toMatchObject({ bytesPerSecond: 0, etaSeconds: undefined });
    clock.advance(2_000);
    expect(meter.snapshot()).toMatchObject({ bytesPerSecond: 0, etaSeconds: undefined });
  });

  it('computes throughput over the sliding window, so the ETA follows the current speed', () => {
    const clock = fakeClock();
    const meter = new ProgressMeter(10, 1_000_000, clock.now, 5_000);
    // 10 s at 10 kB/s ...
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      meter.addBytes(10_000);
      meter.snapshot();
    }
    expect(meter.snapshot().bytesPerSecond).toBeCloseTo(10_000, 0);
    // ... then 6 s at 100 kB/s: the window forgets the slow start.
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      meter.addBytes(100_000);
      meter.snapshot();
    }
    const s = meter.snapshot();
    expect(s.bytesPerSecond).toBeCloseTo(100_000, 0);
    expect(s.etaSeconds).toBe(Math.ceil((1_000_000 - 700_000) / 100_000));
  });

  it('rounds the ETA up to whole seconds', () => {
    const clock = fakeClock();
    const meter = new ProgressMeter(1, 1_001, clock.now);
    clock.advance(1_000);
    meter.addBytes(500);
    expect(meter.snapshot().etaSeconds).toBe(2);
  });

  it('never reports a negative ETA when retries move more bytes than planned', () => {
    const clock = fakeClock();
    const meter = new ProgressMeter(2, 1_100, clock.now, 5_000);
    clock.advance(1_000);
    meter.addBytes(600); // a first attempt fails after 600 bytes ...
    meter.addBytes(1_000); // ... and the retry reads the whole file again
    expect(meter.snapshot().etaSeconds).toBe(0);
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      meter.addBytes(10); // the last, small file trickles in
      const s = meter.snapshot();
      expect(s.etaSeconds).toBe(0);
      expect(s.bytesPerSecond).toBeGreaterThan(0);
    }
  });
});
