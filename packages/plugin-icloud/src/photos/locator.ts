import { isObject, parseJson, stringAt } from '../json.js';
import { readZoneId, type ZoneId } from './records.js';

/** Which library a record belongs to: the database (`private` or `shared`) and the zone. */
export interface LibraryRef {
  library: 'primary' | 'shared';
  database: 'private' | 'shared';
  zone: ZoneId;
}

/**
 * What `open` needs to find a file again: the library, the record and the field. Never the download URL, which
 * expires about an hour after listing (docs/icloud-protocol.md §Records).
 */
export interface Locator {
  library: LibraryRef;
  recordType: string;
  recordName: string;
  field: string;
}

export function encodeLocator(l: Locator): string {
  const zone: Record<string, string> = { n: l.library.zone.zoneName };
  if (l.library.zone.ownerRecordName) zone.o = l.library.zone.ownerRecordName;
  return JSON.stringify({
    v: 1,
    l: l.library.library,
    d: l.library.database,
    z: zone,
    t: l.recordType,
    r: l.recordName,
    f: l.field,
  });
}

export function decodeLocator(text: string | undefined): Locator | undefined {
  if (!text) return undefined;
  const json = parseJson(text);
  if (!isObject(json) || json.v !== 1) return undefined;
  const library = stringAt(json, 'l');
  const database = stringAt(json, 'd');
  const z = json.z;
  const recordType = stringAt(json, 't');
  const recordName = stringAt(json, 'r');
  const field = stringAt(json, 'f');
  if (library !== 'primary' && library !== 'shared') return undefined;
  if (database !== 'private' && database !== 'shared') return undefined;
  if (!recordType || !recordName || !field || !/^res[A-Za-z]+Res$/.test(field)) return undefined;
  const zone = readZoneId(isObject(z) ? { zoneName: z.n, ownerRecordName: z.o } : undefined);
  if (!zone) return undefined;
  return { library: { library, database, zone }, recordType, recordName, field };
}
