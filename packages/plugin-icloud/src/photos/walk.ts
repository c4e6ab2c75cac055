import type { Logger } from '@lifeboat/core';
import { type AssetInfo, type MasterInfo, parseAssetRecord, parseMaster } from './assets.js';
import type { PhotosCloudKit } from './cloudkit.js';
import type { LibraryRef } from './locator.js';
import type { CkRecord } from './records.js';

/** Index record types (docs/icloud-protocol.md §Indexes). */
export const INDEX = {
  all: 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted',
  hidden: 'CPLAssetAndMasterHiddenByAssetDate',
  recentlyDeleted: 'CPLAssetAndMasterDeletedByExpungedDate',
  album: 'CPLContainerRelationLiveByAssetDate',
} as const;

/** Pairs per page: `resultsLimit` is twice this (one CPLMaster and one CPLAsset per item), as icloudpd does. */
export const PAGE_PAIRS = 100;

export interface Pair {
  master: MasterInfo;
  asset: AssetInfo;
}

export interface WalkOptions {
  signal?: AbortSignal;
  filters?: unknown[];
  logger?: Logger;
  /** Called with each page's syncToken (the zone's current state), the first one before anything was read. */
  onSyncToken?: (token: string) => void;
  pagePairs?: number;
  /** Sees each page's raw records (to remember their download URLs). */
  onRecords?: (records: readonly CkRecord[]) => void;
}

/**
 * Walks one index page by page (docs/icloud-protocol.md §Listing), pairing each CPLMaster with its CPLAsset, in master
 * order. Only one page is held at a time. The walk ends at the first page without a master.
 */
export async function* walkIndex(
  ck: PhotosCloudKit,
  library: LibraryRef,
  recordType: string,
  options: WalkOptions = {},
): AsyncGenerator<Pair> {
  const pairs = options.pagePairs ?? PAGE_PAIRS;
  let rank = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await ck.queryPage(library, recordType, rank, pairs * 2, options.filters ?? [], options.signal);
    if (page.syncToken) options.onSyncToken?.(page.syncToken);
    options.onRecords?.(page.records);
    const { pairs: paired, unpaired, masters } = pairRecords(page.records);
    if (masters === 0) return;
    for (const name of unpaired) {
      options.logger?.warn('iCloud listed a photo without its asset record; it is skipped this run', { record: name });
    }
    yield* paired;
    rank += masters;
  }
}

/**
 * Pairs one page's CPLMaster records with their CPLAsset records (keyed by `masterRef`), in master order.
 * `unpaired` names masters whose asset is missing; `masters` counts the masters (the rank advance).
 */
export function pairRecords(records: readonly CkRecord[]): { pairs: Pair[]; unpaired: string[]; masters: number } {
  const masters: MasterInfo[] = [];
  const assets = new Map<string, AssetInfo>();
  for (const record of records) {
    if (record.recordType === 'CPLMaster') masters.push(parseMaster(record));
    else if (record.recordType === 'CPLAsset') {
      const asset = parseAssetRecord(record);
      if (asset) assets.set(asset.masterName, asset);
    }
  }
  const pairs: Pair[] = [];
  const unpaired: string[] = [];
  for (const master of masters) {
    const asset = assets.get(master.recordName);
    if (asset) pairs.push({ master, asset });
    else unpaired.push(master.recordName);
  }
  return { pairs, unpaired, masters: masters.length };
}
