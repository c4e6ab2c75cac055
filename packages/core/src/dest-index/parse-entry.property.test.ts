import { LifeboatError } from '@lifeboat/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDEX_FORMAT_VERSION } from './format.js';
import { parseIndexLine } from './parse-entry.js';

// Property tests of index line parsing (issue 16): whatever a damaged drive holds, a line is an entry or damage,
// never a crash, and a record Lifeboat wrote always reads back as itself.
const RUNS = { numRuns: 300 };
const SEGMENT = '.lifeboat/index/s.jsonl';

const entry = fc.record({
  v: fc.constant(INDEX_FORMAT_VERSION),
  key: fc.string({ minLength: 1, maxLength: 40 }),
  source: fc.string({ maxLength: 10 }),
  assetId: fc.string({ maxLength: 20 }),
  kind: fc.constantFrom('original', 'live-video', 'edited', 'raw'),
  version: fc.string({ maxLength: 20 }),
  fileName: fc.string({ maxLength: 20 }),
  size: fc.nat(),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  capturedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  albums: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  favorite: fc.boolean(),
  hidden: fc.boolean(),
  copiedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
});

function parseOrTooNew(line: string) {
  try {
    return parseIndexLine(line, SEGMENT);
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('LIFEBOAT_INDEX_TOO_NEW');
    return undefined;
  }
}

describe('index line parsing (property)', () => {
  it('reads back every record it could have written', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(parseIndexLine(JSON.stringify(e), SEGMENT)).toEqual({ entry: e });
      }),
      RUNS,
    );
  });

  it('takes a line cut short anywhere (a power cut mid-append) as damage', () => {
    fc.assert(
      fc.property(entry, fc.nat(), (e, at) => {
        const line = JSON.stringify(e);
        const cut = line.slice(0, at % line.length);
        fc.pre(cut.trim() !== '');
        expect(parseIndexLine(cut, SEGMENT)).toHaveProperty('damage');
      }),
      RUNS,
    );
  });

  it('never crashes on arbitrary text or JSON: an entry, damage, or a refusal of a newer format', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.json({ maxDepth: 3 }),
      entry.chain((e) =>
        fc
          .record({ field: fc.constantFrom(...Object.keys(e)), value: fc.jsonValue({ maxDepth: 2 }) })
          .map(({ field, value }) => JSON.stringify({ ...e, [field]: value })),
      ),
    );
    fc.assert(
      fc.property(line, (text) => {
        const parsed = parseOrTooNew(text);
        if (parsed && 'entry' in parsed) {
          expect(typeof parsed.entry.key).toBe('string');
          expect(parsed.entry.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect(Number.isSafeInteger(parsed.entry.size)).toBe(true);
          if (parsed.entry.capturedAt !== undefined) expect(typeof parsed.entry.capturedAt).toBe('string');
          expect(Array.isArray(parsed.entry.albums)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
