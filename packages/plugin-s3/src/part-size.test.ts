import { describe, expect, it } from 'vitest';
import { isSinglePut, MAX_PARTS, MIB, partSizeFor } from './part-size.js';

const GB = 1_000_000_000;

describe('partSizeFor', () => {
  it('uses 8 MiB parts for everything up to ~75 GB', () => {
    expect(partSizeFor(0)).toBe(8 * MIB);
    expect(partSizeFor(1 * GB)).toBe(8 * MIB);
    expect(partSizeFor(50 * GB)).toBe(8 * MIB);
  });

  it.each([1, 50, 100, 500, 5000])('fits a %d GB file in at most 10,000 parts', (gigabytes) => {
    const size = gigabytes * GB;
    const part = partSizeFor(size);
    expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
    expect(part).toBeGreaterThanOrEqual(8 * MIB);
  });

  it('grows the part size past 8 MiB only when the part count demands it', () => {
    expect(partSizeFor(200 * GB)).toBe(Math.ceil((200 * GB) / 9000));
  });

  it('honours a larger minimum part size', () => {
    expect(partSizeFor(1000, 16 * MIB)).toBe(16 * MIB);
  });
});

describe('isSinglePut', () => {
  it('sends objects smaller than the parts a multipart upload holds in memory in one PUT, the rest in parts', () => {
    expect(isSinglePut(0)).toBe(true);
    expect(isSinglePut(20 * MIB)).toBe(true); // a short video: one request
    expect(isSinglePut(24 * MIB - 1)).toBe(true); // (2 in flight + 1 filling) x 8 MiB
    expect(isSinglePut(24 * MIB)).toBe(false);
    expect(isSinglePut(50 * GB)).toBe(false);
  });

  it('follows the tuning: a smaller part or fewer parts in flight lower the threshold', () => {
    expect(isSinglePut(15 * MIB - 1, { minPartSize: 5 * MIB, queueSize: 2 })).toBe(true);
    expect(isSinglePut(15 * MIB, { minPartSize: 5 * MIB, queueSize: 2 })).toBe(false);
    expect(isSinglePut(16 * MIB, { minPartSize: 8 * MIB, queueSize: 1 })).toBe(false);
  });
});
