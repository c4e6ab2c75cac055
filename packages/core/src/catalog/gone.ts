import type { Statements } from './db.js';
import { toVanished } from './rows.js';
import type { VanishedRecord } from './types.js';

// Two kinds of "gone from the source": missing from its listing (the vanished ledger), and deleted by the user
// but still held in the source's trash (iCloud's Recently Deleted), where it can still be restored until purge_at.
// Assets Lifeboat offloaded are neither: the offload ledger reports them (Catalog.offloads).
const NOT_OFFLOADED = (t: string) =>
  `NOT EXISTS (SELECT 1 FROM offloads o WHERE o.source = ${t}.source AND o.asset_id = ${t}.asset_id)`;
const GONE = `
  SELECT source, asset_id, file_name, first_missing_at, last_seen_at, 0 AS in_trash, NULL AS purge_at
    FROM vanished g WHERE (?1 IS NULL OR source = ?1) AND ${NOT_OFFLOADED('g')}
  UNION ALL
  SELECT a.source, a.asset_id, a.file_name, a.deleted_at, a.last_seen_at, 1, a.purge_at FROM assets a
    WHERE a.deleted_at IS NOT NULL AND (?1 IS NULL OR a.source = ?1) AND ${NOT_OFFLOADED('a')}
      AND NOT EXISTS (SELECT 1 FROM vanished v WHERE v.source = a.source AND v.asset_id = a.asset_id)`;

/** Assets gone from their source (all sources when `source` is undefined), oldest disappearance first. */
export function goneAssets(statements: Statements, source: string | undefined): VanishedRecord[] {
  return statements
    .get(`${GONE} ORDER BY first_missing_at, source, asset_id`)
    .all(source ?? null)
    .map(toVanished);
}

export function goneCount(statements: Statements, source: string | undefined): number {
  return (statements.get(`SELECT COUNT(*) AS n FROM (${GONE})`).get(source ?? null) as { n: number }).n;
}
