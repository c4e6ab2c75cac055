import { ErrorCode, LifeboatError } from '@lifeboat/plugin-api';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { INDEX_FORMAT_VERSION, type IndexEntry } from './format.js';

/** A line of an index segment that is not a usable record, and why. */
export interface DamagedIndexLine {
  segment: string;
  line: number;
  reason: string;
}

const text = { type: 'string' };
/**
 * What a record must hold to be trusted: restore checks every file against `sha256` and filters on `capturedAt`,
 * so a field of the wrong type is damage, not something to guess at. Fields a record lacks get their neutral
 * value; fields this version does not know are kept (a later 1.x may add some).
 */
const ENTRY_SCHEMA = {
  type: 'object',
  required: ['v', 'key', 'size', 'sha256'],
  properties: {
    v: { type: 'integer', minimum: 1 },
    key: { type: 'string', minLength: 1 },
    // Above 2^53 a size is no longer exact, so it could never match the bytes read back.
    size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    source: { ...text, default: '' },
    assetId: { ...text, default: '' },
    kind: { ...text, default: 'original' },
    version: { ...text, default: '' },
    fileName: { ...text, default: '' },
    capturedAt: text,
    timeZone: text,
    albums: { type: 'array', items: text, default: [] },
    albumFolders: { type: 'object', additionalProperties: text },
    folder: text,
    favorite: { type: 'boolean', default: false },
    hidden: { type: 'boolean', default: false },
    copiedAt: { ...text, default: '' },
    sidecar: {
      type: 'object',
      required: ['key', 'size', 'sha256'],
      properties: {
        key: { type: 'string', minLength: 1 },
        size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
};

// Compiled on first use (most commands never read an index) and not checked against JSON Schema's meta-schema,
// which would compile that first: it is our own constant schema, covered by the index tests.
let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: false, useDefaults: true, strict: false, validateSchema: false }).compile(
    ENTRY_SCHEMA,
  );
  return compiled;
}

function reasonOf(error: ErrorObject | undefined): string {
  if (!error) return 'not an index record';
  if (error.keyword === 'required') {
    return `lacks "${(error.params as { missingProperty: string }).missingProperty}"`;
  }
  return `field "${error.instancePath.replace(/^\//, '')}" ${error.message ?? 'is wrong'}`;
}

/**
 * Parses one line: the entry, or why it is damaged. A record written by a newer format is not damage: it throws
 * LIFEBOAT_INDEX_TOO_NEW, since guessing at its meaning could restore the wrong thing.
 */
export function parseIndexLine(line: string, segment: string): { entry: IndexEntry } | { damage: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { damage: 'not valid JSON (a half-written line?)' };
  }
  // Only a record that says which format it is in can be too new; anything else is damage.
  const v = (parsed as { v?: unknown } | null)?.v;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof v !== 'number') {
    return { damage: 'not an index record (no format version)' };
  }
  if (v > INDEX_FORMAT_VERSION) {
    throw new LifeboatError(
      ErrorCode.IndexTooNew,
      `Index segment ${segment} was written by a newer Lifeboat (format ${String(v)}, this one reads up to ${INDEX_FORMAT_VERSION})`,
      { hint: 'Upgrade Lifeboat to restore from this destination' },
    );
  }
  const validate = validator();
  if (!validate(parsed)) return { damage: reasonOf(validate.errors?.[0]) };
  return { entry: parsed as unknown as IndexEntry };
}
