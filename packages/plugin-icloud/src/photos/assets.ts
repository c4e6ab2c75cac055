import type { Asset, AssetResource } from '@lifeboat/plugin-api';
import { isoInstant, localCaptureDate } from './capture-date.js';
import { type DescriptiveInfo, parseDescriptive, splitAlbumPaths } from './descriptive.js';
import { encodeLocator, type LibraryRef } from './locator.js';
import { companionName, displayName, fallbackName, isVideoType, mediaTypeFor, splitName } from './names.js';
import {
  type CkRecord,
  fieldAssetId,
  fieldFlag,
  fieldNumber,
  fieldReference,
  fieldString,
  fieldText,
} from './records.js';

/** One file of a record (`res…Res`), without the expiring URL: what is needed to list and later to open it. */
export interface FileRef {
  /** Record type and name the field lives on, and the field (`resOriginalRes`). */
  recordType: string;
  recordName: string;
  field: string;
  size: number;
  checksum?: string;
  fileType?: string;
  changeTag?: string;
}

/** What a CPLMaster says (the original files). Plain JSON: kept in the listing snapshot. */
export interface MasterInfo {
  recordName: string;
  changeTag?: string;
  /** Decoded original file name (untrusted). */
  fileName?: string;
  itemType?: string;
  original?: FileRef;
  alternative?: FileRef;
  liveVideo?: FileRef;
  /** The small JPEG rendition iCloud.com shows (a video's poster frame): for previews, never backed up. */
  thumbnail?: FileRef;
  width?: number;
  height?: number;
}

/** What a CPLAsset says (dates, flags, edits). Plain JSON: kept in the listing snapshot. */
export interface AssetInfo {
  recordName: string;
  changeTag?: string;
  masterName: string;
  assetDate?: number;
  addedDate?: number;
  timeZoneOffset?: number;
  favorite: boolean;
  hidden: boolean;
  deleted: boolean;
  dateExpunged?: number;
  subtype?: number;
  duration?: number;
  editedImage?: FileRef;
  editedVideo?: FileRef;
  /** Caption, keywords, place, zone name (absent in snapshots written before they were read). */
  about?: DescriptiveInfo;
}

function fileRef(record: CkRecord, prefix: string): FileRef | undefined {
  const value = fieldAssetId(record, `${prefix}Res`);
  if (!value) return undefined;
  const ref: FileRef = {
    recordType: record.recordType,
    recordName: record.recordName,
    field: `${prefix}Res`,
    size: value.size,
  };
  if (value.fileChecksum) ref.checksum = value.fileChecksum;
  const type = fieldString(record, `${prefix}FileType`);
  if (type) ref.fileType = type;
  if (record.recordChangeTag) ref.changeTag = record.recordChangeTag;
  return ref;
}

export function parseMaster(record: CkRecord): MasterInfo {
  const info: MasterInfo = { recordName: record.recordName };
  if (record.recordChangeTag) info.changeTag = record.recordChangeTag;
  const fileName = fieldText(record, 'filenameEnc');
  if (fileName !== undefined) info.fileName = fileName;
  const itemType = fieldString(record, 'itemType');
  if (itemType) info.itemType = itemType;
  const original = fileRef(record, 'resOriginal');
  if (original) info.original = original;
  const alternative = fileRef(record, 'resOriginalAlt');
  if (alternative) info.alternative = alternative;
  const live = fileRef(record, 'resOriginalVidCompl');
  if (live) info.liveVideo = live;
  const thumbnail = fileRef(record, 'resJPEGThumb');
  if (thumbnail) info.thumbnail = thumbnail;
  const width = fieldNumber(record, 'resOriginalWidth');
  const height = fieldNumber(record, 'resOriginalHeight');
  if (width !== undefined) info.width = width;
  if (height !== undefined) info.height = height;
  return info;
}

/** A CPLAsset, or undefined when it names no master (it cannot be paired). */
export function parseAssetRecord(record: CkRecord): AssetInfo | undefined {
  const masterName = fieldReference(record, 'masterRef');
  if (!masterName) return undefined;
  const info: AssetInfo = {
    recordName: record.recordName,
    masterName,
    favorite: fieldFlag(record, 'isFavorite'),
    hidden: fieldFlag(record, 'isHidden'),
    deleted: fieldFlag(record, 'isDeleted') || fieldFlag(record, 'isExpunged'),
  };
  if (record.recordChangeTag) info.changeTag = record.recordChangeTag;
  const set = <K extends keyof AssetInfo>(key: K, value: AssetInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set('assetDate', fieldNumber(record, 'assetDate'));
  set('addedDate', fieldNumber(record, 'addedDate'));
  set('timeZoneOffset', fieldNumber(record, 'timeZoneOffset'));
  set('dateExpunged', fieldNumber(record, 'dateExpunged'));
  set('subtype', fieldNumber(record, 'assetSubtypeV2') ?? fieldNumber(record, 'assetSubtype'));
  set('duration', fieldNumber(record, 'duration'));
  set('editedImage', fileRef(record, 'resJPEGFull'));
  set('editedVideo', fileRef(record, 'resVidFull'));
  const about = parseDescriptive(record);
  if (Object.keys(about).length > 0) info.about = about;
  return info;
}

/** A version token that changes when the bytes change: the server checksum, else the record tag and size. */
function versionOf(ref: FileRef): string {
  return ref.checksum ? `ck:${ref.checksum}` : `tag:${ref.changeTag ?? 'none'}:${ref.size}`;
}

/**
 * Pairs a master with its asset into core's Asset: every file (original, Live Photo video, RAW or JPEG
 * alternate, edited renders) with a display-safe name, a version and a locator. Undefined when the master has no
 * original file (nothing to back up).
 */
export function buildAsset(
  master: MasterInfo,
  asset: AssetInfo,
  library: LibraryRef,
  /** Album paths, `Folder/Album` for an album inside a folder. */
  albums: readonly string[] = [],
): Asset | undefined {
  if (!master.original) return undefined;
  const originalType = master.original.fileType ?? master.itemType;
  const rawName = master.fileName ?? fallbackName(master.recordName, originalType);
  const fileName = displayName(rawName, fallbackName(master.recordName, originalType));
  const { stem, ext } = splitName(fileName);
  const resources: AssetResource[] = [];
  const add = (kind: string, ref: FileRef, name: string) => {
    const type = ref.fileType;
    const resource: AssetResource = {
      kind,
      fileName: displayName(name, fallbackName(master.recordName, type)),
      size: ref.size,
      version: versionOf(ref),
      locator: encodeLocator({ library, recordType: ref.recordType, recordName: ref.recordName, field: ref.field }),
    };
    const media = mediaTypeFor(type);
    if (media) resource.mediaType = media;
    resources.push(resource);
  };

  const originalName = ext === '' ? companionName(stem, originalType, '') : fileName;
  add('original', master.original, originalName);
  if (master.alternative) {
    let name = companionName(stem, master.alternative.fileType, ext);
    if (name.toLowerCase() === originalName.toLowerCase())
      name = companionName(stem, master.alternative.fileType, ext, '-alternative');
    // The brief's name for the alternate of a RAW+JPEG pair, whichever of the two Apple made the original.
    add('raw', master.alternative, name);
  }
  if (master.liveVideo) add('live-video', master.liveVideo, companionName(stem, master.liveVideo.fileType, '.MOV'));
  const edits = [asset.editedImage, asset.editedVideo].filter(
    (ref): ref is FileRef => ref !== undefined && ref.checksum !== master.original?.checksum,
  );
  edits.forEach((ref, i) => {
    const kind = i === 0 ? 'edited' : 'edited-video';
    add(kind, ref, companionName(stem, ref.fileType, ext, '-edited'));
  });

  const previews: AssetResource[] = [];
  if (master.thumbnail) {
    const before = resources.length;
    add('thumbnail', master.thumbnail, companionName(stem, master.thumbnail.fileType, '.JPG', '-thumbnail'));
    previews.push(...resources.splice(before));
  }

  const metadata: Record<string, unknown> = {
    library: library.library,
    zone: library.zone.zoneName,
    masterRecordName: master.recordName,
    assetRecordName: asset.recordName,
  };
  // What offload sends back so iCloud refuses the move if the photo changed since this listing.
  if (asset.changeTag) metadata.assetChangeTag = asset.changeTag;
  if (master.itemType) metadata.itemType = master.itemType;
  metadata.mediaKind = isVideoType(originalType) ? 'video' : 'photo';
  if (master.liveVideo) metadata.livePhoto = true;
  if (master.alternative) metadata.rawPair = true;
  if (master.width !== undefined) metadata.width = master.width;
  if (master.height !== undefined) metadata.height = master.height;
  if (asset.subtype !== undefined) metadata.subtype = asset.subtype;
  if (asset.subtype === 3) metadata.screenshot = true;
  if (asset.deleted) {
    metadata.recentlyDeleted = true;
    const expunge = isoInstant(asset.dateExpunged);
    if (expunge) metadata.dateExpunged = expunge;
  }
  if (rawName !== fileName) metadata.originalFileName = JSON.stringify(rawName).slice(1, -1).slice(0, 512);

  const out: Asset = {
    id: library.library === 'primary' ? master.recordName : `shared:${master.recordName}`,
    fileName,
    ...splitAlbumPaths(albums),
    favorite: asset.favorite,
    hidden: asset.hidden,
    resources,
    ...(previews.length > 0 ? { previews } : {}),
    metadata,
  };
  const captured = localCaptureDate(asset.assetDate, asset.timeZoneOffset);
  if (captured) out.capturedAt = captured;
  const { caption, keywords, location, timeZone } = asset.about ?? {};
  if (caption) out.caption = caption;
  if (keywords) out.keywords = [...keywords];
  if (location) out.location = { ...location };
  if (timeZone) out.timeZone = timeZone;
  const added = isoInstant(asset.addedDate);
  if (added) out.addedAt = added;
  // In Recently Deleted: core backs it up and reports it as deleted in iCloud, restorable there until then.
  if (asset.deleted) {
    const purgeAt = isoInstant(asset.dateExpunged);
    out.deleted = purgeAt ? { purgeAt } : {};
  }
  return out;
}
