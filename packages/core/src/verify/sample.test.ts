import { describe, expect, it } from 'vitest';
import { pickSample, sampleSize, stableHash } from './sample.js';
import type { ExpectedCopy } from './types.js';

const copy = (key: string, verifiedAt?: string): ExpectedCopy => ({
  key,
  size: 1,
  sha256: 'x',
  source: 's',
  assetId: key,
  kind: 'original',
  version: '1',
  ...(verifiedAt ? { verifiedAt } : {}),
});
const day = new Date('2024-06-01T00:00:00Z');

describe('pickSample', () => {
  it('rounds up so a small sample of a few copies still reads one', () => {
    expect(sampleSize(10, 5)).toBe(1);
    expect(sampleSize(200, 5)).toBe(10);
    expect(sampleSize(0, 5)).toBe(0);
    expect(sampleSize(3, 100)).toBe(3);
  });

  it('picks the least recently verified first, ties in stable-hash order rather than key order', () => {
    const copies = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => copy(k, 'T2'));
    copies[4] = copy('e', 'T1');
    const picked = [...pickSample(copies, { samplePercent: 50 }, day)];
    expect(picked[0]).toBe('e');
    const rest = ['a', 'b', 'c', 'd', 'f'].sort((x, y) => stableHash(x) - stableHash(y)).slice(0, 2);
    expect(picked.slice(1)).toEqual(rest);
    expect([...pickSample(copies, { samplePercent: 50 }, day)]).toEqual(picked); // deterministic
  });

  it('without verification times, moves a window along the stable-hash order day by day', () => {
    const copies = Array.from({ length: 7 }, (_, i) => copy(`k${i}`));
    const days = Array.from({ length: 4 }, (_, i) => [
      ...pickSample(copies, { samplePercent: 30 }, new Date(day.getTime() + i * 86_400_000)),
    ]);
    expect(days.every((d) => d.length === 3)).toBe(true);
    expect(new Set(days.slice(0, 3).flat()).size).toBe(7); // 3 days of 3 cover all 7
  });

  it('selects everything with all', () => {
    expect(pickSample([copy('a'), copy('b')], { all: true }, day)).toEqual(new Set(['a', 'b']));
  });
});
