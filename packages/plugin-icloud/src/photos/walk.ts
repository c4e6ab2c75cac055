import type { Logger } from '@lifeboat/plugin-api';
import { type AssetInfo, type MasterInfo, parseAssetRecord, parseMaster } from './assets.js';
import type { PhotosCloudKit, QueryPage } from './cloudkit.js';
import type { LibraryRef } from './locator.js';
import { PageLimiter } from './page-limiter.js';
import type { CkRecord } from './records.js';

/** Index record types (docs/icloud-protocol.md §Indexes). */
export const INDEX = {
  all: 'CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted',
  hidden: 'CPLAssetAndMasterHiddenByAssetDate',
  recentlyDeleted: 'CPLAssetAndMasterDeletedByExpungedDate',
  album: 'CPLContainerRelationLiveByAssetDate',
} as const;

/** The HyperionIndexCountLookup id that counts each listing index (docs/icloud-protocol.md §Counts, §Indexes). */
export const COUNT_OF: Record<string, string> = {
  [INDEX.all]: 'CPLAssetByAssetDateWithoutHiddenOrDeleted',
  [INDEX.hidden]: 'CPLAssetHiddenByAssetDate',
  [INDEX.recentlyDeleted]: 'CPLAssetDeletedByExpungedDate',
};

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
  /** Items in the index (HyperionIndexCountLookup), possibly still on its way: pages up to it go out in parallel. */
  count?: Promise<number | undefined>;
  /** Bounds the pages in flight (shared by the walks of one listing); default one at a time. */
  limiter?: PageLimiter;
  /** How many pages may be held ahead right now (default: the limiter's window); read before each page. */
  ahead?: () => number;
}

interface Pending {
  rank: number;
  pairs: number;
  page: Promise<QueryPage>;
}

/**
 * Walks one index page by page (docs/icloud-protocol.md §Listing), pairing each CPLMaster with its CPLAsset, in master
 * order. When the index's count is known, the pages of ranks 0, N, 2N... up to it are asked for together
 * (bounded by the limiter) and still yielded in order as they arrive; past the count (the library grew), one at a
 * time. Only the pages in the window are held. The walk ends at the first page without a master, or at a short
 * page that reaches the count.
 */
export async function* walkIndex(
  ck: PhotosCloudKit,
  library: LibraryRef,
  recordType: string,
  options: WalkOptions = {},
): AsyncGenerator<Pair> {
  const size = options.pagePairs ?? PAGE_PAIRS;
  const limiter = options.limiter ?? new PageLimiter(1);
  // Pages still queued or in flight when the walk ends are not needed: they are called off.
  const done = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, done.signal]) : done.signal;
  const ask = (rank: number, pairs: number): Pending => {
    const page = limiter.run(() => {
      signal.throwIfAborted();
      return ck.queryPage(library, recordType, rank, pairs * 2, options.filters ?? [], signal);
    });
    page.catch(() => {}); // read in order below; one failing ahead of its turn must not go unhandled
    return { rank, pairs, page };
  };
  const window: Pending[] = [];
  let next = 0;
  let known: number | undefined;
  const fill = () => {
    const ahead = options.ahead?.() ?? limiter.window;
    while (window.length < ahead && (window.length === 0 || (known !== undefined && next <= known))) {
      window.push(ask(next, size));
      next += size;
    }
  };
  try {
    // The count may still be on its way: the first page goes out meanwhile.
    fill();
    known = await options.count?.catch(() => undefined);
    for (;;) {
      options.signal?.throwIfAborted();
      fill();
      const head = window.shift() as Pending;
      const page = await head.page;
      if (page.syncToken) options.onSyncToken?.(page.syncToken);
      options.onRecords?.(page.records);
      const { pairs: paired, unpaired, masters } = pairRecords(page.records);
      if (masters === 0) return;
      for (const name of unpaired) {
        options.logger?.warn('iCloud listed a photo without its asset record; it is skipped this run', {
          record: name,
        });
      }
      yield* paired;
      const end = head.rank + masters;
      if (masters < head.pairs) {
        if (known !== undefined && end >= known) return;
        // A short page inside the index: its missing span is asked for before the pages after it are read.
        if (window.length === 0) next = end;
        else window.unshift(ask(end, head.pairs - masters));
      }
    }
  } finally {
    done.abort();
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
