import type { AssetLocation } from '@lifeboat/plugin-api';
import { parseBuffer } from 'bplist-parser';
import { type CkRecord, fieldText } from './records.js';

/**
 * What a CPLAsset says about a photo beyond its files (docs/icloud-protocol.md §Records): `captionEnc` (base64
 * UTF-8), `keywordsEnc` (a base64 binary property list: an array of strings), `locationEnc` (a base64 binary
 * property list: a dictionary with `lat`, `lon`, `alt`, accuracies, speed and course) and `timeZoneNameEnc`
 * (base64 UTF-8, an IANA zone). Plain JSON: kept in the listing snapshot. Everything is untrusted: a field that
 * does not decode is dropped, never guessed at.
 */
export interface DescriptiveInfo {
  caption?: string;
  keywords?: string[];
  location?: AssetLocation;
  timeZone?: string;
}

const MAX_TEXT = 2_000;
const MAX_KEYWORDS = 200;

/** The field's bytes, when it is an ENCRYPTED_BYTES (base64) value. */
function fieldBytes(record: CkRecord, name: string): Buffer | undefined {
  const field = record.fields[name] as { value?: unknown; type?: unknown } | undefined;
  if (typeof field?.value !== 'string' || (field.type !== 'ENCRYPTED_BYTES' && field.type !== undefined)) return;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(field.value)) return undefined;
  return Buffer.from(field.value, 'base64');
}

/** The root object of a binary property list, or undefined when the bytes are not one. */
function plistRoot(bytes: Buffer | undefined): unknown {
  if (!bytes || bytes.length < 8 || bytes.subarray(0, 6).toString('latin1') !== 'bplist') return undefined;
  try {
    return parseBuffer(bytes)[0];
  } catch {
    return undefined;
  }
}

/** Text a person typed, made safe to show and to write into a sidecar (no control characters, bounded). */
function cleanText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  return text === '' ? undefined : text.slice(0, MAX_TEXT);
}

function decodeKeywords(record: CkRecord): string[] | undefined {
  const root = plistRoot(fieldBytes(record, 'keywordsEnc'));
  if (!Array.isArray(root)) return undefined;
  const words = root.map((w) => (typeof w === 'string' ? cleanText(w) : undefined)).filter((w) => w !== undefined);
  const unique = [...new Set(words)].slice(0, MAX_KEYWORDS);
  return unique.length > 0 ? unique : undefined;
}

const inRange = (v: unknown, limit: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

function decodeLocation(record: CkRecord): AssetLocation | undefined {
  const root = plistRoot(fieldBytes(record, 'locationEnc'));
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return undefined;
  const { lat, lon, alt } = root as Record<string, unknown>;
  // 0,0 is what a camera without a fix writes, not a place in the Gulf of Guinea.
  if (!inRange(lat, 90) || !inRange(lon, 180) || (lat === 0 && lon === 0)) return undefined;
  return { latitude: lat, longitude: lon, ...(inRange(alt, 100_000) ? { altitude: alt } : {}) };
}

/** A zone name as IANA spells them (`Asia/Taipei`, `UTC`), or undefined. */
function decodeTimeZone(record: CkRecord): string | undefined {
  const name = fieldText(record, 'timeZoneNameEnc');
  return name && /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name) ? name : undefined;
}

export function parseDescriptive(record: CkRecord): DescriptiveInfo {
  const info: DescriptiveInfo = {};
  const caption = cleanText(fieldText(record, 'captionEnc'));
  if (caption) info.caption = caption;
  const keywords = decodeKeywords(record);
  if (keywords) info.keywords = keywords;
  const location = decodeLocation(record);
  if (location) info.location = location;
  const timeZone = decodeTimeZone(record);
  if (timeZone) info.timeZone = timeZone;
  return info;
}

/**
 * Album paths (`Trips/Paris`, as the album list names them) split into what core's Asset holds: the album names,
 * and each nested album's folder path. Names were made safe by the album list (a `/` in a name became `_`).
 */
export function splitAlbumPaths(paths: readonly string[]): { albums: string[]; albumFolders?: Record<string, string> } {
  const albums: string[] = [];
  const folders: Record<string, string> = {};
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (!albums.includes(name)) albums.push(name);
    if (slash > 0 && folders[name] === undefined) folders[name] = path.slice(0, slash);
  }
  return Object.keys(folders).length > 0 ? { albums, albumFolders: folders } : { albums };
}
