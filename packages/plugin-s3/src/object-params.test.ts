import { describe, expect, it } from 'vitest';
import { mtimeFromMetadata, rcloneMtime } from './object-params.js';

describe("rclone's mtime metadata", () => {
  it('writes decimal seconds with the fraction trimmed, as rclone does', () => {
    expect(rcloneMtime('2019-05-04T10:30:00Z')).toBe('1556965800');
    expect(rcloneMtime('2019-05-04T10:30:00.5Z')).toBe('1556965800.5');
    expect(rcloneMtime('2019-05-04T10:30:00.120Z')).toBe('1556965800.12');
    expect(rcloneMtime('1969-12-31T23:59:59.5Z')).toBe('-0.5');
    expect(rcloneMtime('not a date')).toBeUndefined();
  });

  it('reads it back, and ignores what is not one', () => {
    expect(mtimeFromMetadata({ mtime: '1556965800.5' })).toBe('2019-05-04T10:30:00.500Z');
    expect(mtimeFromMetadata({ mtime: '1556965800.123456789' })).toBe('2019-05-04T10:30:00.123Z');
    expect(mtimeFromMetadata({ mtime: 'soon' })).toBeUndefined();
    expect(mtimeFromMetadata(undefined)).toBeUndefined();
  });
});
