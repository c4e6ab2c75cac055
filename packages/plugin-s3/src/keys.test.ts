import { describe, expect, it } from 'vitest';
import { isMetaKey, keyProblem, objectKey } from './keys.js';

describe('destination keys', () => {
  it.each([
    '2019/05/IMG_0001.JPG',
    'Caf\u00e9/cr\u00e8me.jpg',
    '\u{1F436}/party.jpg',
    'specials/#1 100% a+b?c=d&e=f %20 %2F.jpg',
    '-rf/-n --help.jpg',
    '.lifeboat/index/000001.jsonl',
    'dots/x.y.z/file.tar.gz',
  ])('accepts %j', (key) => {
    expect(keyProblem(key)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['/abs', 'absolute'],
    ['../up', '".." segment'],
    ['a/../b', '".." segment'],
    ['a/./b', '"." segment'],
    ['.', '"." segment'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['a\0b', 'NUL'],
    ['a\\b', 'backslash'],
    ['a\rb', 'control character'],
    ['a\u007fb', 'control character'],
  ])('refuses %j (%s)', (key, problem) => {
    expect(keyProblem(key)).toContain(problem);
  });

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
