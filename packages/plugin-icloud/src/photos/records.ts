import { isFiniteNumber, isObject, isString, type JsonObject, numberAt, objectAt, stringAt } from '../json.js';

/**
 * CloudKit records as the Photos database returns them (docs/icloud-protocol.md §Records), checked field by field:
 * a record we cannot read is reported, never half-used.
 */
export interface ZoneId {
  zoneName: string;
  ownerRecordName?: string;
  zoneType?: string;
}

export interface CkRecord {
  recordName: string;
  recordType: string;
  recordChangeTag?: string;
  deleted: boolean;
  fields: JsonObject;
  zoneID?: ZoneId;
  serverErrorCode?: string;
  reason?: string;
}

/** A record envelope, or undefined when the JSON is not one. */
export function readRecord(value: unknown): CkRecord | undefined {
  if (!isObject(value)) return undefined;
  const recordName = stringAt(value, 'recordName');
  if (!recordName) return undefined;
  const record: CkRecord = {
    recordName,
    recordType: stringAt(value, 'recordType') ?? '',
    deleted: value.deleted === true,
    fields: objectAt(value, 'fields') ?? {},
  };
  const tag = stringAt(value, 'recordChangeTag');
  if (tag !== undefined) record.recordChangeTag = tag;
  const zone = readZoneId(value.zoneID);
  if (zone) record.zoneID = zone;
  const code = stringAt(value, 'serverErrorCode');
  if (code !== undefined) record.serverErrorCode = code;
  const reason = stringAt(value, 'reason');
  if (reason !== undefined) record.reason = reason;
  return record;
}

export function readZoneId(value: unknown): ZoneId | undefined {
  const zoneName = stringAt(value, 'zoneName');
  if (!zoneName) return undefined;
  const zone: ZoneId = { zoneName };
  const owner = stringAt(value, 'ownerRecordName');
  if (owner !== undefined) zone.ownerRecordName = owner;
  const type = stringAt(value, 'zoneType');
  if (type !== undefined) zone.zoneType = type;
  return zone;
}

/** `fields[name].value` when it is a string. */
export function fieldString(record: CkRecord, name: string): string | undefined {
  return stringAt(record.fields[name], 'value');
}

/** `fields[name].value` when it is a finite number (INT64, TIMESTAMP). */
export function fieldNumber(record: CkRecord, name: string): number | undefined {
  return numberAt(record.fields[name], 'value');
}

/** A 0/1 INT64 flag. */
export function fieldFlag(record: CkRecord, name: string): boolean {
  const v = record.fields[name];
  const value = isObject(v) ? v.value : undefined;
  return value === 1 || value === true;
}

/** An ENCRYPTED_BYTES field (base64 of UTF-8 for non-ADP accounts) or a STRING field, decoded. */
export function fieldText(record: CkRecord, name: string): string | undefined {
  const field = record.fields[name];
  if (!isObject(field)) return undefined;
  const value = field.value;
  if (!isString(value)) return undefined;
  if (field.type === 'STRING') return value;
  if (field.type === 'ENCRYPTED_BYTES' || field.type === undefined) {
    if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(value)) return undefined;
    return Buffer.from(value, 'base64').toString('utf8');
  }
  return undefined;
}

/** A REFERENCE field's record name (e.g. a CPLAsset's `masterRef`). */
export function fieldReference(record: CkRecord, name: string): string | undefined {
  return stringAt(objectAt(record.fields[name], 'value'), 'recordName');
}

/** An ASSETID value (`res…Res`): where a file's bytes are. */
export interface AssetIdValue {
  size: number;
  fileChecksum?: string;
  downloadURL?: string;
}

export function fieldAssetId(record: CkRecord, name: string): AssetIdValue | undefined {
  const value = objectAt(record.fields[name], 'value');
  if (!value) return undefined;
  const size = value.size;
  if (!isFiniteNumber(size) || !Number.isSafeInteger(size) || size < 0) return undefined;
  const out: AssetIdValue = { size };
  const checksum = stringAt(value, 'fileChecksum');
  if (checksum) out.fileChecksum = checksum;
  const url = stringAt(value, 'downloadURL');
  if (url) out.downloadURL = url;
  return out;
}
