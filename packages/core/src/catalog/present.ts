import type { DatabaseSync } from 'node:sqlite';
import { CatalogError } from '@lifeboat/plugin-api';
import { COPIED_MASK_COLUMN, RESOURCE_COLUMNS, toResource } from './rows.js';
import type { CatalogResource } from './types.js';

export interface PresentOptions {
  /**
   * Destinations to check for copies: each resource's `copiedOn` then lists those holding a verified copy of
   * its current version. Checked inside SQLite while streaming, which is much cheaper than a `hasCopy` call per
   * resource and destination from JavaScript; pass `(d, r) => r.copiedOn!.includes(d)` to planBackup.
   */
  copiedOn?: readonly string[];
  /** Only resources after this one in the stream's order (source, asset, kind): a page's last, to read the next. */
  after?: { source: string; assetId: string; kind: string };
  /** At most this many: with `after`, reads the stream in pages that need no statement kept open between them. */
  limit?: number;
}

// The copy flags travel as one integer bitmask; 31 bits keep it a small integer on both sides.
const MAX_DESTINATIONS = 31;

const copiedBit = (bit: number) =>
  `(EXISTS (SELECT 1 FROM copies c WHERE c.destination = ? AND c.source = r.source AND c.asset_id = r.asset_id
            AND c.kind = r.kind AND c.version = r.version) << ${bit})`;

/** Streams the current resources of every asset of `sources` not recorded as gone, in a stable order. */
export function* presentResources(
  db: DatabaseSync,
  sources: readonly string[],
  options: PresentOptions = {},
): Generator<CatalogResource> {
  const destinations = options.copiedOn;
  if (destinations !== undefined && destinations.length > MAX_DESTINATIONS) {
    throw new CatalogError(`A plan can check at most ${MAX_DESTINATIONS} destinations at once.`, {
      hint: 'Split the plan into several plans.',
    });
  }
  let copied = '';
  if (destinations !== undefined) {
    copied = destinations.length === 0 ? ', 0' : `, ${destinations.map((_, bit) => copiedBit(bit)).join(' | ')}`;
  }
  // A fresh statement per call: a cached one would be reset if two iterations overlapped.
  const statement = db.prepare(
    `SELECT ${RESOURCE_COLUMNS}${copied}
     FROM resources r JOIN assets a ON a.source = r.source AND a.asset_id = r.asset_id
     WHERE r.source IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM vanished v WHERE v.source = r.source AND v.asset_id = r.asset_id)
       ${options.after ? 'AND (r.source, r.asset_id, r.kind) > (?, ?, ?)' : ''}
     ORDER BY r.source, r.asset_id, r.kind
     ${options.limit !== undefined ? 'LIMIT ?' : ''}`,
  );
  statement.setReturnArrays(true);
  // One shared, frozen list per combination of destinations: nothing allocated per resource for it.
  const subsets = new Map<number, readonly string[]>();
  const after = options.after ? [options.after.source, options.after.assetId, options.after.kind] : [];
  const limit = options.limit !== undefined ? [options.limit] : [];
  for (const row of statement.iterate(...(destinations ?? []), JSON.stringify(sources), ...after, ...limit)) {
    const values = row as unknown as unknown[];
    const resource = toResource(values);
    if (destinations !== undefined) {
      const mask = values[COPIED_MASK_COLUMN] as number;
      let subset = subsets.get(mask);
      if (subset === undefined) {
        subset = Object.freeze(destinations.filter((_, bit) => (mask & (1 << bit)) !== 0));
        subsets.set(mask, subset);
      }
      resource.copiedOn = subset;
    }
    yield resource;
  }
}
