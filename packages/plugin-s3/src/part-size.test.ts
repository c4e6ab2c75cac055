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
  it('sends objects smaller than one part in one PUT, the rest as multipart uploads', () => {
    expect(isSinglePut(0)).toBe(true);
    expect(isSinglePut(8 * MIB - 1)).toBe(true);
    expect(isSinglePut(8 * MIB)).toBe(false);
    expect(isSinglePut(50 * GB)).toBe(false);
  });
});
