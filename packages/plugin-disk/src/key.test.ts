import { InvalidKeyError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { prefixDirSegments, validateKey } from './key.js';

describe('validateKey', () => {
  it.each([
    '2019/05/IMG_0001.JPG',
    'a',
    '.lifeboat/destination.json',
    '.lifeboat/index/0001.jsonl',
    'Été 2019/plage à Nice.heic',
    'with space/and  two spaces.jpg',
    '日本/写真.jpg',
    '..foo/bar..',
    `${'x'.repeat(200)}.jpg`,
  ])('accepts %j', (key) => {
    expect(() => validateKey(key)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['../escape', '".." segment'],
    ['a/../../escape', '".." segment'],
    ['a/./b', '"." segment'],
    ['.', '"." segment'],
    ['a//b', 'empty path segment'],
    ['a/', 'empty path segment'],
    ['a\\b', 'backslash'],
    ['a\0b', 'NUL'],
    ['.lifeboat/tmp/x.part', 'reserved'],
    ['.Lifeboat/TMP/x.part', 'reserved'],
  ])('rejects %j (%s) with InvalidKeyError', (key, why) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(() => validateKey(key)).toThrow(why);
  });
});

describe('prefixDirSegments', () => {
  it('gives the folder part of a prefix', () => {
    expect(prefixDirSegments('')).toEqual([]);
    expect(prefixDirSegments('20')).toEqual([]);
    expect(prefixDirSegments('2019/')).toEqual(['2019']);
    expect(prefixDirSegments('2019/05/IMG')).toEqual(['2019', '05']);
  });

  it('is undefined for prefixes no valid key can have', () => {
    expect(prefixDirSegments('../')).toBeUndefined();
    expect(prefixDirSegments('a//b')).toBeUndefined();
    expect(prefixDirSegments('/abs/')).toBeUndefined();
  });
});
