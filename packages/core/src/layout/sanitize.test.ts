import { describe, expect, it } from 'vitest';
import { sanitizeSegment, splitExtension } from './sanitize.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** What every sanitised name must be, whatever came in. */
function expectSafeSegment(s: string) {
  expect(s).not.toBe('');
  expect(s).not.toMatch(/[/\\\0]/);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left
  expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(s).not.toMatch(/^[.\s]/);
  expect(s).not.toMatch(/[.\s]$/);
  expect(bytes(s)).toBeLessThanOrEqual(200);
}

describe('sanitizeSegment', () => {
  it('turns path traversal into one harmless segment that keeps the name', () => {
    const s = sanitizeSegment('../../x.jpg');
    expectSafeSegment(s);
    expect(s).toMatch(/x\.jpg$/);
    expect(s).not.toContain('/');
  });

  it('replaces forward and back slashes instead of making folders', () => {
    expect(sanitizeSegment('a/b.jpg')).toBe('a_b.jpg');
    expect(sanitizeSegment('a\\b.jpg')).toBe('a_b.jpg');
  });

  it('replaces NUL, C0 and C1 control characters', () => {
    expect(sanitizeSegment('IMG\u0000_1.jpg')).toBe('IMG__1.jpg');
    expect(sanitizeSegment('a\nb\tc\u001b.jpg')).toBe('a_b_c_.jpg');
    expect(sanitizeSegment('a\u007fb\u0085c\u009b.jpg')).toBe('a_b_c_.jpg');
  });

  it('replaces characters Windows forbids in names', () => {
    expect(sanitizeSegment('a:b*c?"d<e>f|g.jpg')).toBe('a_b_c__d_e_f_g.jpg');
  });

  it.each([
    ['CON.jpg', '_CON.jpg'],
    ['nul', '_nul'],
    ['com1.txt', '_com1.txt'],
    ['LPT9.png', '_LPT9.png'],
    ['aux.tar.gz', '_aux.tar.gz'],
    ['NUL.', '_NUL'],
  ])('prefixes the Windows reserved name %s', (name, expected) => {
    expect(sanitizeSegment(name)).toBe(expected);
  });

  it('leaves names that only start like reserved ones alone', () => {
    expect(sanitizeSegment('CONCERT.jpg')).toBe('CONCERT.jpg');
    expect(sanitizeSegment('com10.jpg')).toBe('com10.jpg');
  });

  it('drops leading dots so nothing is hidden and nothing is . or ..', () => {
    expect(sanitizeSegment('.hidden.jpg')).toBe('hidden.jpg');
    expect(sanitizeSegment('..')).toBe('unnamed');
    expect(sanitizeSegment('.')).toBe('unnamed');
  });

  it('drops trailing dots and spaces', () => {
    expect(sanitizeSegment('photo.jpg. . ')).toBe('photo.jpg');
    expect(sanitizeSegment('  photo.jpg')).toBe('photo.jpg');
  });

  it('uses the fallback for names with nothing left', () => {
    expect(sanitizeSegment('')).toBe('unnamed');
    expect(sanitizeSegment(' . ')).toBe('unnamed');
    expect(sanitizeSegment('', 'No Album')).toBe('No Album');
  });

  it('normalises to NFC', () => {
    const nfd = 'Cafe\u0301.jpg';
    const s = sanitizeSegment(nfd);
    expect(s).toBe('Caf\u00e9.jpg');
    expect(s.normalize('NFC')).toBe(s);
  });

  it('truncates a long UTF-8 name to 200 bytes, keeping the extension and whole characters', () => {
    const name = `${'é'.repeat(149)}.jpeg`; // 298 + 5 bytes
    expect(bytes(name)).toBeGreaterThan(300);
    const s = sanitizeSegment(name);
    expect(bytes(s)).toBeLessThanOrEqual(200);
    expect(s.endsWith('.jpeg')).toBe(true);
    expect(s).not.toContain('\ufffd');
    expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
    expect(s.slice(0, -5)).toMatch(/^é+$/);
  });

  it('never splits a four-byte character (emoji, surrogate pair) when truncating', () => {
    const s = sanitizeSegment(`${'😀'.repeat(80)}.heic`);
    expect(bytes(s)).toBeLessThanOrEqual(200);
    expect(s).toMatch(/^(😀)+\.heic$/u);
    expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s); // a lone surrogate would not survive UTF-8
  });

  it('keeps a truncated name within the limit even when its "extension" is huge', () => {
    const s = sanitizeSegment(`a.${'b'.repeat(300)}`);
    expectSafeSegment(s);
    expect(s.startsWith('a')).toBe(true);
  });

  it('leaves no trailing space or dot where truncation cuts', () => {
    const s = sanitizeSegment(`${'a'.repeat(199)} ${'b'.repeat(50)}`);
    expectSafeSegment(s);
    expect(s).toBe('a'.repeat(199));
  });

  it('keeps ordinary names exactly as they are', () => {
    for (const name of ['IMG_0001.JPG', 'Été à Paris (1).heic', '写真.png', 'a b.mov']) {
      expect(sanitizeSegment(name)).toBe(name);
    }
  });

  it('always yields a safe segment for hostile input', () => {
    const hostile = [
      '../../x.jpg',
      '/etc/passwd',
      'C:\\Windows\\x',
      '\u0000',
      '...',
      ' ',
      'nul.',
      `${'x'.repeat(500)}`,
    ];
    for (const name of hostile) expectSafeSegment(sanitizeSegment(name));
  });
});

describe('splitExtension', () => {
  it('splits at the last dot', () => {
    expect(splitExtension('a.tar.gz')).toEqual({ stem: 'a.tar', ext: '.gz' });
    expect(splitExtension('README')).toEqual({ stem: 'README', ext: '' });
    expect(splitExtension('.profile')).toEqual({ stem: '.profile', ext: '' });
    expect(splitExtension('end.')).toEqual({ stem: 'end.', ext: '' });
  });
});
