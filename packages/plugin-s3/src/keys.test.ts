import { describe, expect, it } from 'vitest';
import { isMetaKey, objectKey } from './keys.js';

describe('destination keys', () => {
  it('puts the prefix before the key and refuses keys S3 cannot hold', () => {
    expect(objectKey('backups/', '2019/a.jpg')).toBe('backups/2019/a.jpg');
    expect(objectKey('', 'a.jpg')).toBe('a.jpg');
    expect(() => objectKey('', '../a.jpg')).toThrow(expect.objectContaining({ code: 'LIFEBOAT_INVALID_KEY' }));
    expect(() => objectKey('p/', 'x'.repeat(1023))).toThrow(expect.objectContaining({ code: 'LIFEBOAT_INVALID_KEY' }));
    expect(objectKey('p/', 'x'.repeat(1022))).toHaveLength(1024);
    // The limit is in UTF-8 bytes: 'é' takes two.
    expect(() => objectKey('', '\u00e9'.repeat(513))).toThrow(
      expect.objectContaining({ code: 'LIFEBOAT_INVALID_KEY' }),
    );
  });

  it('tells core bookkeeping from copies', () => {
    expect(isMetaKey('.lifeboat/index/1.jsonl')).toBe(true);
    expect(isMetaKey('2019/.lifeboat/x')).toBe(false);
  });
});
