import { wallClockDate } from '@lifeboat/core';
import type { BrowsedAsset } from '../../app/source-browse.js';

export type PickRow =
  | { type: 'group'; label: string; step: string; assets: BrowsedAsset[]; bytes: number }
  | { type: 'asset'; item: BrowsedAsset };

/** How the source is grouped: years › months, albums, or the favourites alone. */
export type PickView = 'date' | 'album' | 'favorites';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NO_ALBUM = '(in no album)';

function periodOf(a: BrowsedAsset): { year: string; month: string } {
  const d = wallClockDate(a.asset.capturedAt);
  return d ? { year: d.yyyy, month: d.mm } : { year: 'undated', month: 'undated' };
}

function grouped(assets: readonly BrowsedAsset[], keysOf: (a: BrowsedAsset) => string[]) {
  const out = new Map<string, BrowsedAsset[]>();
  for (const a of assets) {
    for (const k of keysOf(a)) {
      const list = out.get(k);
      if (list) list.push(a);
      else out.set(k, [a]);
    }
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b));
}

const groupRows = (groups: [string, BrowsedAsset[]][], label: (k: string) => string = (k) => k): PickRow[] =>
  groups.map(([k, assets]) => ({
    type: 'group',
    label: label(k),
    step: k,
    assets,
    bytes: assets.reduce((s, a) => s + a.bytes, 0),
  }));

const assetRows = (assets: readonly BrowsedAsset[]): PickRow[] =>
  [...assets]
    .sort(
      (a, b) =>
        (a.asset.capturedAt ?? '').localeCompare(b.asset.capturedAt ?? '') || a.asset.id.localeCompare(b.asset.id),
    )
    .map((item) => ({ type: 'asset', item }));

/** The rows at one place of the source browser; a search lists every photo whose name contains the text. */
export function pickRowsAt(assets: readonly BrowsedAsset[], view: PickView, path: string[], search: string): PickRow[] {
  if (search) {
    const q = search.toLowerCase();
    return assetRows(assets.filter((a) => a.asset.fileName.toLowerCase().includes(q)));
  }
  if (view === 'favorites') return assetRows(assets.filter((a) => a.asset.favorite));
  if (view === 'album') {
    const albums = grouped(assets, (a) => (a.asset.albums.length > 0 ? a.asset.albums : [NO_ALBUM]));
    return path.length === 0 ? groupRows(albums) : assetRows(albums.find(([k]) => k === path[0])?.[1] ?? []);
  }
  const years = grouped(assets, (a) => [periodOf(a).year]);
  if (path.length === 0) return groupRows(years);
  const inYear = years.find(([k]) => k === path[0])?.[1] ?? [];
  if (path.length === 1) {
    const months = grouped(inYear, (a) => [periodOf(a).month]);
    return groupRows(months, (m) => (MONTHS[Number(m) - 1] ? `${m} ${MONTHS[Number(m) - 1]}` : m));
  }
  return assetRows(inYear.filter((a) => periodOf(a).month === path[1]));
}

/** The asset ids a row stands for (a group: all of its photos). */
export const idsOf = (row: PickRow): string[] =>
  row.type === 'asset' ? [row.item.asset.id] : row.assets.map((a) => a.asset.id);
