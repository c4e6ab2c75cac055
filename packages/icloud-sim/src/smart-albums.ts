/** Smart albums of the simulated library: the flag bits its ordering indexes filter on. */
import type { AssetSpec } from './asset-spec.js';

export type SmartAlbum = 'FAVORITE' | 'VIDEO' | 'LIVE' | 'PANORAMA' | 'SCREENSHOT' | 'SLOMO' | 'TIMELAPSE';

export const HIDDEN = 1;
export const SMART_FLAG: Record<string, number> = { FAVORITE: 2, VIDEO: 4, LIVE: 8, SCREENSHOT: 16, PANORAMA: 32 };

export function flagsOf(hidden: boolean, favorite: boolean, spec: AssetSpec): number {
  return (
    (hidden ? HIDDEN : 0) |
    (favorite ? SMART_FLAG.FAVORITE! : 0) |
    (spec.kind === 'video' ? SMART_FLAG.VIDEO! : 0) |
    (spec.kind === 'live' ? SMART_FLAG.LIVE! : 0) |
    (spec.assetSubtypeV2 === 3 ? SMART_FLAG.SCREENSHOT! : 0) |
    (spec.kind === 'panorama' ? SMART_FLAG.PANORAMA! : 0)
  );
}
