import type { AlbumsUpdate, Asset, Logger } from '@lifeboat/plugin-api';
import { type AssetInfo, buildAsset } from './photos/assets.js';
import type { PhotosCloudKit } from './photos/cloudkit.js';
import type { LibraryRef } from './photos/locator.js';
import type { IcloudSourceOptions, IncludeOptions } from './settings.js';
import type { SnapshotEntry, SnapshotStore } from './snapshot.js';
import type { UrlCache } from './url-cache.js';

/** What the listing code shares: the context of one `list` call and the rules of what a listing holds. */

export interface ListContext {
  cloudKit: PhotosCloudKit;
  urls: UrlCache;
  options: IcloudSourceOptions;
  snapshot: SnapshotStore | undefined;
  signal: AbortSignal;
  logger?: Logger;
  /** Core's SourceListOptions.albumsLater: assets may go out before the album memberships are read. */
  albumsLater?: (updates: readonly AlbumsUpdate[]) => void;
}

/** What a listing covers: when any of it changes, the snapshot no longer applies. */
export function listingScope(o: IcloudSourceOptions): string {
  // `s`: what a snapshot entry holds; 2 added captions, keywords, places and zone names, which an older snapshot
  // lacks, so it is walked anew once rather than kept without them.
  return JSON.stringify({ s: 2, a: o.appleId.toLowerCase(), d: o.domain, l: o.library, i: o.include });
}

export function included(asset: AssetInfo, include: IncludeOptions): boolean {
  if (asset.deleted) return include.recentlyDeleted;
  if (asset.hidden) return include.hidden;
  return true;
}

/** Core's Asset, with the resource kinds the user left out removed. */
export function toAsset(entry: SnapshotEntry, library: LibraryRef, include: IncludeOptions): Asset | undefined {
  const asset = buildAsset(entry.m, entry.a, library, entry.al);
  if (!asset) return undefined;
  asset.resources = asset.resources.filter(
    (r) =>
      r.kind === 'original' ||
      (r.kind === 'live-video' && include.liveVideos) ||
      (r.kind === 'raw' && include.raw) ||
      (r.kind.startsWith('edited') && include.edited),
  );
  return asset;
}
