import type { AlbumsUpdate, Asset, ResourceKind } from '@lifeboat/plugin-api';

/** Identifies one version of one resource of one asset, across sources. */
export interface ResourceVersionRef {
  source: string;
  assetId: string;
  kind: ResourceKind;
  version: string;
}

/** The current version of a resource of a present asset, with the asset fields layouts and indexes need. */
export interface CatalogResource extends ResourceVersionRef {
  /** The resource's own file name as the source reported it (unsanitised). */
  fileName: string;
  size: number;
  locator?: string;
  sha256?: string;
  mediaType?: string;
  /** The asset's file name (usually the original resource's). */
  assetFileName: string;
  capturedAt?: string;
  timeZone?: string;
  addedAt?: string;
  albums: string[];
  /** The asset's source-relative folder (`Trip 2024/Day 1`), for `{folder}` layouts. */
  folder?: string;
  favorite: boolean;
  hidden: boolean;
  /** With presentResources(sources, { copiedOn }): those destinations already holding this version. */
  copiedOn?: readonly string[];
}

/** A verified copy of one version of a resource on one destination. */
export interface CopyRecord extends ResourceVersionRef {
  destination: string;
  key: string;
  size: number;
  sha256: string;
  copiedAt: string;
  verifiedAt: string;
  /** Whether the destination's own index lists this copy yet. */
  indexed: boolean;
  /** The XMP sidecar written beside the copy (`<key>.xmp`), once one was. */
  sidecar?: SidecarRecord;
}

/** A sidecar beside a copy: its key, size and sha256 (as written, and as verify reads it back). */
export interface SidecarRecord {
  key: string;
  size: number;
  sha256: string;
}

/** What `recordCopy` takes: a new copy starts unindexed unless told otherwise. */
export type NewCopy = Omit<CopyRecord, 'indexed'> & { indexed?: boolean };

export type RecordCopyResult = 'recorded' | 'reverified' | 'duplicate';

/** A copy with the asset metadata a destination index entry needs (restore must work without the catalog). */
export interface IndexableCopy extends CopyRecord {
  /** The resource's file name when the catalog still knows it, else the asset's. */
  fileName: string;
  capturedAt?: string;
  timeZone?: string;
  albums: string[];
  /** As Asset.albumFolders. */
  albumFolders?: Record<string, string>;
  /** The asset's source-relative folder. */
  folder?: string;
  favorite: boolean;
  hidden: boolean;
}

/** Intent to write `key`, recorded before the write so a crash mid-write can be resolved on the next run. */
export interface PendingCopy extends ResourceVersionRef {
  destination: string;
  key: string;
  startedAt: string;
}

/** Who holds a key on a destination: a recorded copy, or a write in progress (`pending`). */
export interface KeyOwner extends ResourceVersionRef {
  pending: boolean;
}

export interface CopyCount {
  destination: string;
  /** Distinct assets with at least one copy on the destination. */
  assets: number;
  copies: number;
  bytes: number;
}

export interface InventoryResult {
  /** Distinct assets seen in this listing. */
  listed: number;
  /**
   * Assets newly gone from the source: missing from this (complete) listing and not already recorded as gone,
   * plus assets first seen deleted (still in the source's trash) in this listing.
   */
  newlyGone: number;
  /** Assets recorded as gone that this listing saw again. */
  reappeared: number;
}

export interface InventoryWriter {
  /** Records one listed asset. Buffered: written in batches, so no transaction stays open across awaits. */
  add(asset: Asset): void;
  /** Writes what is buffered now, so the assets added so far can be read back (a streamed run plans them). */
  flush(): void;
  /**
   * Records albums a source reported after their assets (`albumsPending`): a changed asset's copies are marked
   * for re-indexing, so each destination's index ends with its final albums.
   */
  setAlbums(updates: readonly AlbumsUpdate[]): void;
  /** The listing ended normally: writes the rest, then records every asset it did not see as gone. */
  finish(): InventoryResult;
  /** The listing was interrupted: keeps what was seen, but records nothing as gone. */
  abandon(): InventoryResult;
}

export interface RunOutcome {
  ok: boolean;
  filesCopied: number;
  bytesCopied: number;
  goneCount: number;
  summary?: unknown;
  finishedAt: string;
}

export interface RunRecord {
  runId: number;
  plan: string;
  startedAt: string;
  /** Undefined while running, or when the run was killed before it could finish. */
  finishedAt?: string;
  ok?: boolean;
  filesCopied: number;
  bytesCopied: number;
  goneCount: number;
  summary?: unknown;
}

/** An asset gone from its source. Its copies are kept forever; this ledger says when it went missing. */
export interface VanishedRecord {
  source: string;
  assetId: string;
  fileName: string;
  firstMissingAt: string;
  /** The last listing that still contained it. */
  lastSeenAt: string;
  /**
   * Deleted by the user but still held in the source's trash (iCloud's Recently Deleted): it can still be
   * restored there until `purgeAt`; `firstMissingAt` is when it was deleted.
   */
  inSourceTrash: boolean;
  purgeAt?: string;
}
