import type { Asset, AssetResource } from '@lifeboat/plugin-api';
import { wallClockDate } from '../layout/index.js';

/** The companions of an asset a pick may bring besides its original (the iCloud source's `include` names). */
export interface PickInclude {
  liveVideos: boolean;
  raw: boolean;
  edited: boolean;
}

export const PICK_INCLUDE_FLAGS = ['liveVideos', 'raw', 'edited'] as const;

/** What a pick from a source brings: every filter given must match (and of the albums, any one). */
export interface PickFilter {
  /** Inclusive `YYYY-MM-DD` bounds on the capture date (wall clock). */
  since?: string;
  until?: string;
  /** A predicate on the asset's or a resource's file name (a glob). */
  match?: (name: string) => boolean;
  /** Album names (`Trips/Paris` or its last part `Paris`); an asset in any of them matches. */
  albums?: readonly string[];
  favorites?: boolean;
  /** `photo`: stills (Live Photos included); `video`: videos; `live`: Live Photos only. */
  kind?: AssetKindFilter;
  include?: PickInclude;
}

export type AssetKindFilter = 'photo' | 'video' | 'live';

const VIDEO_EXT = /\.(mov|mp4|m4v|avi|3gp|mkv|mts|m2ts|webm)$/i;

/** What an asset is, from what every source can say: a Live Photo has a live video; a video's original is one. */
export function assetKind(asset: Asset): AssetKindFilter {
  if (asset.resources.some((r) => r.kind === 'live-video')) return 'live';
  const original = asset.resources.find((r) => r.kind === 'original') ?? asset.resources[0];
  const media = original?.mediaType ?? '';
  const video =
    asset.metadata.mediaKind === 'video' || media.startsWith('video/') || VIDEO_EXT.test(original?.fileName ?? '');
  return video ? 'video' : 'photo';
}

function inAlbum(asset: Asset, wanted: readonly string[]): boolean {
  return asset.albums.some((album) => {
    const last = album.slice(album.lastIndexOf('/') + 1);
    return wanted.includes(album) || wanted.includes(last);
  });
}

/** Whether the asset is wanted (its resources are then chosen by `resourcesToPick`). */
export function assetMatches(asset: Asset, filter: PickFilter): boolean {
  if (filter.since || filter.until) {
    const d = wallClockDate(asset.capturedAt);
    if (!d) return false;
    const day = `${d.yyyy}-${d.mm}-${d.dd}`;
    if (filter.since && day < filter.since) return false;
    if (filter.until && day > filter.until) return false;
  }
  if (filter.favorites && !asset.favorite) return false;
  if (filter.albums && filter.albums.length > 0 && !inAlbum(asset, filter.albums)) return false;
  if (filter.kind) {
    const kind = assetKind(asset);
    if (filter.kind === 'photo' ? kind === 'video' : kind !== filter.kind) return false;
  }
  if (filter.match) {
    const match = filter.match;
    if (!match(asset.fileName) && !asset.resources.some((r) => match(r.fileName))) return false;
  }
  return true;
}

const INCLUDE_OF_KIND: Record<string, keyof PickInclude> = {
  'live-video': 'liveVideos',
  raw: 'raw',
  edited: 'edited',
  'edited-video': 'edited',
};

/** The files of a wanted asset to bring: the original always; each companion when `include` says so. */
export function resourcesToPick(asset: Asset, include: PickInclude | undefined): AssetResource[] {
  return asset.resources.filter((r) => {
    const flag = INCLUDE_OF_KIND[r.kind];
    return flag === undefined || !include || include[flag];
  });
}
