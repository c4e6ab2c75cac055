import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAssetRecord, parseMaster } from './assets.js';
import { fieldAssetId, fieldText, readRecord } from './records.js';

// Property tests of CloudKit record parsing (issue 16): Apple's answers (or a man in the middle's) are hostile
// input; a record is read field by field, or refused, never half-used and never a crash.
const RUNS = { numRuns: 300 };

const field = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record(
    {
      value: fc.jsonValue({ maxDepth: 2 }),
      type: fc.constantFrom('STRING', 'ENCRYPTED_BYTES', 'INT64', 'ASSETID', 'REFERENCE'),
    },
    { requiredKeys: [] },
  ),
);
const names = [
  'filenameEnc',
  'itemType',
  'resOriginalRes',
  'resOriginalFileType',
  'masterRef',
  'isFavorite',
  'assetDate',
  'resJPEGFullRes',
];
const envelope = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      recordName: fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })),
      recordType: fc.oneof(fc.constantFrom('CPLMaster', 'CPLAsset'), fc.jsonValue({ maxDepth: 1 })),
      recordChangeTag: fc.jsonValue({ maxDepth: 1 }),
      deleted: fc.jsonValue({ maxDepth: 1 }),
      fields: fc.oneof(fc.dictionary(fc.constantFrom(...names), field), fc.jsonValue({ maxDepth: 2 })),
      zoneID: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
);

describe('CloudKit record parsing (property)', () => {
  it('reads any JSON as a record or nothing, and parses whatever it reads without throwing', () => {
    fc.assert(
      fc.property(envelope, (json) => {
        const record = readRecord(json);
        if (record === undefined) return;
        expect(typeof record.recordName).toBe('string');
        expect(record.recordName).not.toBe('');
        expect(typeof record.fields).toBe('object');
        const master = parseMaster(record);
        expect(master.recordName).toBe(record.recordName);
        if (master.original) expect(Number.isSafeInteger(master.original.size)).toBe(true);
        parseAssetRecord(record);
        const res = fieldAssetId(record, 'resOriginalRes');
        if (res) expect(res.size).toBeGreaterThanOrEqual(0);
        const text = fieldText(record, 'filenameEnc');
        if (text !== undefined) expect(typeof text).toBe('string');
      }),
      RUNS,
    );
  });
});
