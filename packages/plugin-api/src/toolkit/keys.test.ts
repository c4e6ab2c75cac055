import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../errors/index.js';
import { keyProblem, validateKey } from './keys.js';

// One set of key rules for every destination (they were copied into disk, S3 and the example before).
describe('destination key rules', () => {
  it.each([
    '2019/05/IMG_0001.JPG',
    'a',
    'Caf\u00e9/cr\u00e8me.jpg',
    '\u{1F436}/party \u{1F468}\u200D\u{1F469}\u200D\u{1F467}.jpg',
    '日本/写真.jpg',
    'specials/#1 100% a+b?c=d&e=f %20 %2F.jpg',
    '-rf/-n --help.jpg',
    '.lifeboat/index/000001.jsonl',
    'dots/x.y.z/file.tar.gz',
    '..foo/bar..',
    'with space/and  two spaces.jpg',
  ])('accepts %j', (key) => {
    expect(keyProblem(key)).toBeUndefined();
    expect(() => validateKey(key)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['/abs', 'absolute'],
    ['../up', '".." segment'],
    ['a/../../escape', '".." segment'],
    ['a/./b', '"." segment'],
    ['.', '"." segment'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['a\0b', 'NUL'],
    ['a\\b', 'backslash'],
    ['a\rb', 'control character'],
    ['a\u007fb', 'control character'],
    ['lone \ud800 surrogate.jpg', 'well-formed Unicode'],
  ])('refuses %j (%s) with InvalidKeyError', (key, problem) => {
    expect(keyProblem(key)).toContain(problem);
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(() => validateKey(key)).toThrow(problem);
  });

  it('refuses what is not a string', () => {
    expect(keyProblem(undefined)).toBe('it is empty');
    expect(keyProblem(42)).toBe('it is empty');
  });
});
