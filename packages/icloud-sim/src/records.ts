/**
 * CloudKit record JSON in Apple's shapes (docs/icloud-protocol.md §Records; recorded listing_photos_raw_alt.yml,
 * autodelete_photos.yml, listing_albums.yml): a CPLMaster holds the file resources, its CPLAsset the dates,
 * flags and the edited render, joined by masterRef.
 */
import { createHash } from 'node:crypto';
import type { AlbumDef } from './albums.js';
import { type AssetKind, type AssetSpec, hashSeed, type ResourceField, type ResourceSpec } from './asset-spec.js';
import { keywordsPlist, locationPlist } from './descriptive.js';
import type { AssetState, Library } from './library.js';

export type Field = { value: unknown; type: string };
export type Fields = Record<string, Field>;

export interface CkRecord {
  recordName: string;
  recordType?: string;
  fields?: Fields;
  pluginFields?: Record<string, never>;
  recordChangeTag?: string;
  created?: Stamp;
  modified?: Stamp;
  deleted: boolean;
  zoneID: ZoneId;
  expirationTime?: number;
}

interface Stamp {
  timestamp: number;
  userRecordName: string;
  deviceID: string;
}

export interface ZoneId {
  zoneName: string;
  ownerRecordName: string;
  zoneType?: string;
}

/** Signs a download URL for one resource version (see download-urls.ts). */
export type UrlSigner = (library: Library, state: AssetState, field: ResourceField, version: number) => string;

const DEVICE = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9';

export const zoneIdOf = (library: Library): ZoneId => ({
  zoneName: library.zoneName,
  ownerRecordName: library.ownerRecordName,
});

const int = (value: number): Field => ({ value, type: 'INT64' });
const str = (value: string): Field => ({ value, type: 'STRING' });
const time = (value: number): Field => ({ value, type: 'TIMESTAMP' });
const binary = (data: Buffer): Field => ({ value: data.toString('base64'), type: 'ENCRYPTED_BYTES' });
const bytes = (text: string): Field => binary(Buffer.from(text, 'utf8'));

function envelope(
  library: Library,
  recordName: string,
  recordType: string,
  fields: Fields,
  tag: string,
  at: number,
): CkRecord {
  const stamp = { timestamp: at, userRecordName: library.ownerRecordName, deviceID: DEVICE };
  return {
    recordName,
    recordType,
    fields,
    pluginFields: {},
    recordChangeTag: tag,
    created: stamp,
    modified: stamp,
    deleted: false,
    zoneID: zoneIdOf(library),
  };
}

/** A fileChecksum-like value: 21 bytes starting with 0x01, base64 (opaque, as Apple's). */
function checksum(key: string): string {
  return Buffer.concat([Buffer.from([1]), createHash('sha256').update(key).digest().subarray(0, 20)]).toString(
    'base64',
  );
}

function resourceFields(library: Library, state: AssetState, resource: ResourceSpec, sign: UrlSigner): Fields {
  const prefix = resource.field.slice(0, -'Res'.length);
  const version = resource.field === 'resJPEGFullRes' ? state.editVersion : 0;
  const sum = checksum(`${library.seed}:${library.zoneName}:${state.index}:${resource.field}:${version}`);
  return {
    [`${prefix}Res`]: {
      value: {
        fileChecksum: sum,
        size: resource.size,
        wrappingKey: checksum(`wk:${sum}`).slice(4, 28),
        referenceChecksum: checksum(`ref:${sum}`),
        downloadURL: sign(library, state, resource.field, version),
      },
      type: 'ASSETID',
    },
    [`${prefix}FileType`]: str(resource.fileType),
    [`${prefix}Width`]: int(resource.width),
    [`${prefix}Height`]: int(resource.height),
    [`${prefix}Fingerprint`]: str(resource.field === 'resOriginalRes' ? state.spec.masterId : sum),
  };
}

const ROTATED: AssetKind[] = ['photo', 'heic', 'live', 'raw-pair', 'raw'];

/**
 * EXIF-style orientation of a camera photo (originalOrientation on the CPLMaster, orientation on the CPLAsset):
 * mostly 1, sometimes 6 (portrait), 3 or 8, as in the recorded listings; screenshots, panoramas and videos stay 1.
 * Derived from its own hash so the rest of the generated library is unchanged.
 */
function orientationOf(spec: AssetSpec): number {
  if (spec.index < 12 || !ROTATED.includes(spec.kind)) return 1;
  const r = hashSeed('orientation', spec.assetId) % 100;
  return r < 80 ? 1 : r < 92 ? 6 : r < 97 ? 3 : 8;
}

function deletionFields(state: AssetState, onAsset: boolean): Fields {
  if (!state.isDeleted) return {};
  return {
    isDeleted: int(1),
    dateExpunged: time(state.dateExpunged ?? 0),
    // 0: deleted by the user (the only reason the simulator knows).
    ...(onAsset ? { isExpunged: int(0), trashReason: int(0) } : {}),
  };
}

/** Recently Deleted records expire from CloudKit 10 days after dateExpunged (autodelete_photos.yml), in seconds. */
const EXPIRY_AFTER_EXPUNGE_S = 10 * 86_400;

function withExpiration(record: CkRecord, state: AssetState): CkRecord {
  if (state.isDeleted && state.dateExpunged) {
    record.expirationTime = Math.floor(state.dateExpunged / 1000) + EXPIRY_AFTER_EXPUNGE_S;
  }
  return record;
}

export function masterRecord(library: Library, state: AssetState, sign: UrlSigner): CkRecord {
  const fields: Fields = {
    filenameEnc: bytes(state.spec.filename),
    itemType: str(state.spec.itemType),
    dataClassType: int(state.spec.kind === 'video' ? 2 : 1), // 2: video, as recorded
    originalOrientation: int(orientationOf(state.spec)),
  };
  for (const resource of state.spec.resources) Object.assign(fields, resourceFields(library, state, resource, sign));
  Object.assign(fields, deletionFields(state, false));
  const record = envelope(
    library,
    state.spec.masterId,
    'CPLMaster',
    fields,
    `m${state.recordChangeTag}`,
    state.spec.addedDate,
  );
  return withExpiration(record, state);
}

export function assetRecord(library: Library, state: AssetState, sign: UrlSigner): CkRecord {
  const { spec } = state;
  const fields: Fields = {
    assetDate: time(spec.assetDate),
    addedDate: time(spec.addedDate),
    timeZoneOffset: int(spec.timeZoneOffset),
    masterRef: {
      value: { recordName: spec.masterId, action: 'DELETE_SELF', zoneID: zoneIdOf(library) },
      type: 'REFERENCE',
    },
    isFavorite: int(state.isFavorite ? 1 : 0),
    isHidden: int(state.isHidden ? 1 : 0),
    orientation: int(orientationOf(spec)),
    duration: int(spec.duration),
    assetSubtype: int(spec.kind === 'panorama' ? 1 : 0),
    assetSubtypeV2: int(spec.assetSubtypeV2),
    assetHDRType: int(0),
    burstFlags: int(0),
    adjustmentRenderType: int(state.edit ? 1 : 0),
    customRenderedValue: int(0),
  };
  if (spec.assetSubtypeV2 === 3) fields.adjustmentType = str('ScreenshotServices');
  if (state.edit) {
    fields.adjustmentType = str('com.apple.photo');
    Object.assign(fields, resourceFields(library, state, state.edit, sign));
  }
  if (spec.kind === 'live') {
    Object.assign(fields, {
      vidComplDurValue: int(2_768_333_333),
      vidComplDurScale: int(1_000_000_000),
      vidComplDispValue: int(1_200_880_290),
      vidComplDispScale: int(1_000_000_000),
      vidComplVisibilityState: int(0),
    });
  }
  const { caption, keywords, location, timeZoneName } = state.about;
  if (caption !== undefined) fields.captionEnc = bytes(caption);
  if (keywords !== undefined) fields.keywordsEnc = binary(keywordsPlist(keywords));
  if (location !== undefined) fields.locationEnc = binary(locationPlist(location));
  if (timeZoneName !== undefined) fields.timeZoneNameEnc = bytes(timeZoneName);
  Object.assign(fields, deletionFields(state, true));
  return withExpiration(
    envelope(library, spec.assetId, 'CPLAsset', fields, state.recordChangeTag, spec.addedDate),
    state,
  );
}

/** A change-feed tombstone: only name, zone and `deleted: true`. */
export function tombstone(library: Library, recordName: string): CkRecord {
  return { recordName, deleted: true, zoneID: zoneIdOf(library) };
}

/**
 * An album membership (CPLContainerRelation), as a change feed carries it when a photo joins or leaves an album:
 * what tells a client its album lists are stale.
 */
export function containerRelationRecord(library: Library, state: AssetState): CkRecord {
  const fields: Fields = { itemId: str(state.spec.assetId), isKeyAsset: int(0), position: int(0) };
  return envelope(
    library,
    `${state.spec.assetId}-IN-ALBUMS`,
    'CPLContainerRelation',
    fields,
    `r${state.recordChangeTag}`,
    state.spec.addedDate,
  );
}

export function albumRecord(library: Library, album: AlbumDef): CkRecord {
  const fields: Fields = {
    recordModificationDate: time(1_700_000_000_000 + album.position),
    sortAscending: int(1),
    sortType: int(0),
    albumType: int(album.albumType),
    position: int(album.position),
    sortTypeExt: int(0),
  };
  if (album.name !== undefined) fields.albumNameEnc = bytes(album.name);
  if (album.parentId) fields.parentId = str(album.parentId);
  return envelope(library, album.recordName, 'CPLAlbum', fields, `a${album.position.toString(36)}`, 1_600_000_000_000);
}

export function indexingStateRecord(library: Library, finished: boolean): CkRecord {
  return envelope(
    library,
    `_${library.zoneName.toLowerCase()}-indexing`,
    'CheckIndexingState',
    { progress: int(finished ? 100 : 42), state: str(finished ? 'FINISHED' : 'RUNNING') },
    '0',
    1_600_000_000_000,
  );
}

export function countRecord(library: Library, name: string, count: number): CkRecord {
  return envelope(library, name, 'IndexCountResult', { itemCount: int(count) }, '0', 1_600_000_000_000);
}
