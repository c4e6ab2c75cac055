/**
 * A destination describes itself (docs/architecture.md, invariant 4): beside its copies a marker and an index, in JSON
 * a person can read, so restore works from the drive or bucket alone with no local state.
 *
 *   .lifeboat/destination.json          marker: proves this is the Lifeboat destination (not an empty mount point)
 *   .lifeboat/index/<time>-<rand>.jsonl  index segments, one JSON object per copy, append-only
 *   <key>.xmp                             the XMP sidecar beside a copy, listed in that copy's entry (`sidecar`)
 *
 * A copy may be listed again in a later segment, whole (same key, size, sha256, copiedAt), when its metadata
 * changed after its entry was written (albums a source reported late, a sidecar rewritten): readers keep the
 * latest entry per key.
 */
export const META_PREFIX = '.lifeboat/';
export const MARKER_KEY = '.lifeboat/destination.json';
export const INDEX_PREFIX = '.lifeboat/index/';
export const INDEX_FORMAT_VERSION = 1;

export interface DestinationMarker {
  format: 'lifeboat-destination';
  version: number;
  id: string;
  name: string;
  createdAt: string;
}

/** One copy, as the destination's own index records it. */
export interface IndexEntry {
  v: number;
  key: string;
  source: string;
  assetId: string;
  kind: string;
  version: string;
  fileName: string;
  size: number;
  sha256: string;
  capturedAt?: string;
  timeZone?: string;
  albums: string[];
  /** Albums inside folders: album name -> folder path (`Trips/2024`), as Asset.albumFolders. */
  albumFolders?: Record<string, string>;
  /** The source-relative folder (`Trip 2024/Day 1`): tells two same-named files of a folder source apart. */
  folder?: string;
  favorite: boolean;
  hidden: boolean;
  copiedAt: string;
  /** The XMP sidecar beside the copy (`<key>.xmp`), restored and verified with it. Absent in older entries. */
  sidecar?: { key: string; size: number; sha256: string };
}

/** Where a disk destination's album view lives (`Albums/<Folder>/<Album>/`): links, never copies. */
export const ALBUM_VIEW_PREFIX = 'Albums/';
