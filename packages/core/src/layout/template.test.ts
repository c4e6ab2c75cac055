import { DEFAULT_LAYOUT, LifeboatError, UsageError, validateLayout } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { alternativeKey, type LayoutInput, renderKey, wallClockDate } from './template.js';

function input(fields: Partial<LayoutInput> = {}): LayoutInput {
  return { fileName: 'IMG_0001.JPG', source: 'icloud', kind: 'original', ...fields };
}

function usageError(fn: () => void): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('renderKey with the default layout', () => {
  it('files a capture under its wall-clock day, not the UTC one', () => {
    // 23:30 in Tokyo is 14:30 UTC the same day; 00:30 on 1 Feb in Tokyo is still 31 Jan in UTC.
    expect(renderKey(DEFAULT_LAYOUT, input({ capturedAt: '2020-01-31T23:30:00+09:00' }))).toBe('2020/01/IMG_0001.JPG');
    expect(renderKey(DEFAULT_LAYOUT, input({ capturedAt: '2020-02-01T00:30:00+09:00' }))).toBe('2020/02/IMG_0001.JPG');
  });

  it('handles UTC and offset-less timestamps the same way', () => {
    expect(renderKey(DEFAULT_LAYOUT, input({ capturedAt: '2019-12-31T23:59:59Z' }))).toBe('2019/12/IMG_0001.JPG');
    expect(renderKey(DEFAULT_LAYOUT, input({ capturedAt: '2019-05-04T12:30:00' }))).toBe('2019/05/IMG_0001.JPG');
  });

  it('files undated captures under undated/00', () => {
    expect(renderKey(DEFAULT_LAYOUT, input())).toBe('undated/00/IMG_0001.JPG');
    expect(renderKey(DEFAULT_LAYOUT, input({ capturedAt: 'yesterday' }))).toBe('undated/00/IMG_0001.JPG');
  });

  it('sanitises the file name', () => {
    const key = renderKey(DEFAULT_LAYOUT, input({ capturedAt: '2020-01-01', fileName: '../../../etc/passwd' }));
    expect(key.split('/')).toHaveLength(3);
    expect(key.startsWith('2020/01/')).toBe(true);
    expect(key.split('/')).not.toContain('..');
    expect(key).toMatch(/etc_passwd$/);
  });
});

describe('renderKey with other placeholders', () => {
  it('renders every placeholder', () => {
    const layout = '{source}/{kind}/{yyyy}-{mm}-{dd}/{album}/{stem}.{ext}';
    const key = renderKey(layout, input({ capturedAt: '2021-07-09T08:00:00-04:00', albums: ['Summer', 'Beach'] }));
    expect(key).toBe('icloud/original/2021-07-09/Summer/IMG_0001.JPG');
  });

  it('uses "No Album" when the asset is in no album', () => {
    expect(renderKey('{album}/{name}', input())).toBe('No Album/IMG_0001.JPG');
    expect(renderKey('{album}/{name}', input({ albums: [] }))).toBe('No Album/IMG_0001.JPG');
  });

  it('keeps an album name that tries to escape inside one folder', () => {
    const key = renderKey('{album}/{name}', input({ albums: ['../etc'] }));
    const segments = key.split('/');
    expect(segments).toHaveLength(2);
    expect(segments[0]).toContain('etc');
    expect(segments).not.toContain('..');
    expect(segments[1]).toBe('IMG_0001.JPG');
  });

  it('keeps an album with slashes as one recognisable folder', () => {
    expect(renderKey('{album}/{name}', input({ albums: ['Trips/2019'] }))).toBe('Trips_2019/IMG_0001.JPG');
  });

  it("keeps a folder source's sub-folders as folders, each segment sanitised, never climbing out", () => {
    expect(renderKey('{folder}/{name}', input({ folder: 'Trip 2024/Day 1' }))).toBe('Trip 2024/Day 1/IMG_0001.JPG');
    expect(renderKey('{folder}/{name}', input({}))).toBe('IMG_0001.JPG');
    expect(renderKey('{source}/{folder}/{name}', input({ folder: '../../etc/./x:y' }))).toMatch(
      /^[^/]+\/etc\/x_y\/IMG_0001.JPG$/,
    );
    expect(renderKey('{folder}/{name}', input({ folder: 'a\u0000b/ CON ' }))).toBe('a_b/_CON/IMG_0001.JPG');
  });

  it('names a folder for an album whose name is empty or all dots', () => {
    expect(renderKey('{album}/{name}', input({ albums: [''] }))).toBe('No Album/IMG_0001.JPG');
    expect(renderKey('{album}/{name}', input({ albums: ['..'] }))).toBe('No Album/IMG_0001.JPG');
  });

  it('sanitises every segment, literal text included', () => {
    const key = renderKey('../{album}/CON/{name}', input({ albums: ['a\u0000b'] }));
    const segments = key.split('/');
    expect(segments).toEqual(['unnamed', 'a_b', '_CON', 'IMG_0001.JPG']);
  });

  it('gives a name without extension no trailing dot with {stem}.{ext}', () => {
    expect(renderKey('{stem}.{ext}', input({ fileName: 'README' }))).toBe('README');
  });
});

describe('validateLayout', () => {
  it('accepts the default and other complete layouts', () => {
    expect(() => validateLayout(DEFAULT_LAYOUT)).not.toThrow();
    expect(() => validateLayout('{album}/{yyyy}-{mm}-{dd}/{stem}.{ext}')).not.toThrow();
  });

  it('rejects an unknown placeholder, naming it and listing the known ones', () => {
    const error = usageError(() => validateLayout('{year}/{name}'));
    expect(error.code).toBe('LIFEBOAT_USAGE');
    expect(error.message).toContain('{year}');
    expect(error.hint).toContain('{yyyy}');
  });

  it('rejects a layout without {name}', () => {
    const error = usageError(() => validateLayout('{yyyy}/{mm}'));
    expect(error.message).toContain('{name}');
    expect(() => validateLayout('{yyyy}/{stem}')).toThrow(LifeboatError);
  });

  it.each([
    ['{yyyy}/{mm}/{name', /"\{" that does not belong/],
    ['{yyyy}/{mm}/name}', /"\}" that does not belong/],
    ['{yyyy}/{{name}}', /does not belong/],
    ['{yyyy}/{}{name}', /Unknown placeholder \{\}/],
    ['{yyyy}/{mm}/{nmae}', /Unknown placeholder \{nmae\}/],
    ['{name}/{yyyy}', /does not end with the file's name/],
    ['{yyyy}/{mm}/', /does not end with the file's name/],
    ['{yyyy}/../{name}', /"\.\." folder/],
  ])('rejects the broken layout %s', (layout, message) => {
    expect(usageError(() => validateLayout(layout)).message).toMatch(message);
  });
});

describe('wallClockDate', () => {
  it('takes the date as written', () => {
    expect(wallClockDate('2019-03-01T00:30:00+14:00')).toEqual({ yyyy: '2019', mm: '03', dd: '01' });
    expect(wallClockDate(undefined)).toBeUndefined();
  });
});

describe('alternativeKey', () => {
  it('inserts the number before the extension', () => {
    expect(alternativeKey('2020/01/IMG_0001.JPG', 2)).toBe('2020/01/IMG_0001 (2).JPG');
    expect(alternativeKey('IMG_0001.JPG', 3)).toBe('IMG_0001 (3).JPG');
  });

  it('appends the number to a name without extension', () => {
    expect(alternativeKey('2020/01/README', 2)).toBe('2020/01/README (2)');
    expect(alternativeKey('a.b/README', 2)).toBe('a.b/README (2)');
  });
});
