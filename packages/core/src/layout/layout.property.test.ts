import {
  DEFAULT_LAYOUT,
  escapeInvalidUtf8,
  isValidUtf8,
  originalNameOf,
  rawAssetId,
  UsageError,
  validateLayout,
} from '@lifeboat/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeSegment } from './sanitize.js';
import { renderKey } from './template.js';

// Property tests over the parsers that meet hostile input (issue 16). numRuns keeps each property well under 2 s.
const RUNS = { numRuns: 300 };
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Strings with the characters that break names: separators, dots, controls, reserved, astral, combining. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('/', '\\', '.', '..', ' ', '\u0000', '\u001b', '\n', ':', '*', '?', '"', '<', '>', '|', 'CON', 'é'),
    fc.constantFrom('e\u0301', '\u202e', '\ud83d\ude00', '\u0085', '\u00a0'),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  ),
  maxLength: 60,
});

function expectSafeSegment(segment: string) {
  expect(segment).not.toBe('');
  expect(segment).not.toMatch(/[/\\]/);
  expect(segment).not.toMatch(CONTROL);
  expect(segment.startsWith('.')).toBe(false);
  expect(Buffer.byteLength(segment)).toBeLessThanOrEqual(255);
}

describe('name sanitising (property)', () => {
  it('always yields one safe, non-empty segment of at most 255 bytes, and is idempotent', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        const safe = sanitizeSegment(name);
        expectSafeSegment(safe);
        expect(sanitizeSegment(safe)).toBe(safe);
      }),
      RUNS,
    );
  });

  it('escapeInvalidUtf8 keeps valid UTF-8 as it is and turns any bytes into a well-formed string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const escaped = escapeInvalidUtf8(bytes);
        expect(Buffer.from(escaped).toString('utf8'), 'well-formed: no lone surrogate').toBe(escaped);
        if (isValidUtf8(bytes)) expect(escaped).toBe(Buffer.from(bytes).toString('utf8'));
        else expect(escaped).toMatch(/%[0-9A-F]{2}/);
      }),
      RUNS,
    );
  });

  it('a raw name survives the asset id and comes back for a key ending in its escaped form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 30 }), (bytes) => {
        const name = Buffer.from(bytes.filter((b) => b !== 0x2f && b !== 0));
        fc.pre(name.length > 0);
        const id = rawAssetId(Buffer.concat([Buffer.from('folder/'), name]));
        expect(originalNameOf(id, `2020/01/${escapeInvalidUtf8(name)}`)?.equals(name)).toBe(true);
        expect(originalNameOf(id, '2020/01/other.jpg')).toBeUndefined();
      }),
      RUNS,
    );
  });
});

describe('layout rendering (property)', () => {
  const layouts = fc.constantFrom(
    DEFAULT_LAYOUT,
    '{yyyy}/{mm}/{dd}/{name}',
    '{album}/{yyyy}-{mm}/{stem}.{ext}',
    '{source}/{kind}/{yyyy}/{name}',
    'Photos/{yyyy}/{album}/{name}',
  );
  const input = fc.record({
    fileName: hostile,
    capturedAt: fc.option(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        hostile,
      ),
      {
        nil: undefined,
      },
    ),
    albums: fc.option(fc.array(hostile, { maxLength: 3 }), { nil: undefined }),
    source: hostile,
    kind: hostile,
  });

  it('renders every input to a key of safe segments, as many as the layout has folders', () => {
    fc.assert(
      fc.property(layouts, input, (layout, value) => {
        const key = renderKey(layout, value);
        const segments = key.split('/');
        for (const segment of segments) expectSafeSegment(segment);
        expect(segments).toHaveLength(layout.split('/').length);
      }),
      RUNS,
    );
  });

  it('validateLayout either accepts a layout or refuses it with a usage error, never anything else', () => {
    const template = fc.string({
      unit: fc.constantFrom('{', '}', '/', '{name}', '{yyyy}', '{nope}', 'a', '.', '..', '{stem}', '{ext}'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(template, (layout) => {
        try {
          validateLayout(layout);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          return;
        }
        // An accepted layout names the file in its last folder, and renders without empty names.
        const key = renderKey(layout, { fileName: 'IMG_0001.JPG', source: 's', kind: 'original' });
        for (const segment of key.split('/')) expectSafeSegment(segment);
      }),
      RUNS,
    );
  });
});
