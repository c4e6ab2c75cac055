import type { DatabaseSync } from 'node:sqlite';
import type { AssetDetails, SidecarInput } from '../sidecar/xmp.js';
import type { Statements } from './db.js';

/** A copy whose sidecar is to be (re)written: what the sidecar says, and the metadata stamp to record with it. */
export interface SidecarDue {
  rowid: number;
  key: string;
  input: SidecarInput;
  /** What `recordSidecar` stores as `sidecar_meta`: the copy is up to date while its asset still matches it. */
  meta: string;
  /** The sidecar recorded now, if any (the same bytes need no second write). */
  sha256?: string;
}

const COLUMNS = `c.rowid AS row_id, c.key, c.source, c.asset_id, c.kind, c.sidecar_sha256,
  COALESCE(r.file_name, a.file_name) AS file_name, a.captured_at, a.time_zone, a.favorite, a.hidden, a.albums,
  a.details, a.meta_hash || a.albums AS meta`;
const FROM = `FROM copies c
  JOIN assets a ON a.source = c.source AND a.asset_id = c.asset_id
  LEFT JOIN resources r ON r.source = c.source AND r.asset_id = c.asset_id AND r.kind = c.kind`;
// An asset listed before sidecars existed (no meta_hash yet) waits for its next listing.
const STALE = `SELECT ${COLUMNS} ${FROM}
  WHERE c.destination = ? AND c.rowid > ? AND a.meta_hash IS NOT NULL
    AND (c.sidecar_meta IS NULL OR c.sidecar_meta <> a.meta_hash || a.albums)
  ORDER BY c.rowid LIMIT ?`;
const ONE = `SELECT ${COLUMNS} ${FROM} WHERE c.destination = ? AND c.key = ?`;

/** Queries on the sidecars beside copies: which are due, and recording one written. */
export class SidecarStore {
  readonly #statements: Statements;

  constructor(_db: DatabaseSync, statements: Statements) {
    this.#statements = statements;
  }

  /** Copies on `destination` whose sidecar is missing or older than their asset's metadata, after `afterRow`. */
  dueSidecars(destination: string, afterRow: number, limit: number): SidecarDue[] {
    return this.#statements.get(STALE).all(destination, afterRow, limit).map(toDue);
  }

  /** What the sidecar of the copy at `key` says now (its asset's current metadata); undefined for no such copy. */
  sidecarFor(destination: string, key: string): SidecarDue | undefined {
    const row = this.#statements.get(ONE).get(destination, key);
    return row === undefined ? undefined : toDue(row);
  }

  /**
   * Records the sidecar written beside the copy at `key`. A new sidecar makes the copy's index entry due again, so
   * the destination's own index lists it (restore and verify without this machine).
   */
  recordSidecar(destination: string, key: string, sidecar: { size: number; sha256: string; meta: string }): void {
    this.#statements
      .get(
        `UPDATE copies SET sidecar_size = ?, sidecar_sha256 = ?, sidecar_meta = ?,
           indexed = CASE WHEN sidecar_sha256 IS ? THEN indexed ELSE 0 END
         WHERE destination = ? AND key = ?`,
      )
      .run(sidecar.size, sidecar.sha256, sidecar.meta, sidecar.sha256, destination, key);
  }
}

function toDue(row: Record<string, unknown>): SidecarDue {
  const parse = <T>(text: unknown, fallback: T): T => {
    try {
      return typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
    } catch {
      return fallback;
    }
  };
  const opt = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const capturedAt = opt(row.captured_at);
  const timeZone = opt(row.time_zone);
  return {
    rowid: row.row_id as number,
    key: row.key as string,
    meta: row.meta as string,
    ...(typeof row.sidecar_sha256 === 'string' ? { sha256: row.sidecar_sha256 } : {}),
    input: {
      source: row.source as string,
      assetId: row.asset_id as string,
      kind: row.kind as string,
      fileName: row.file_name as string,
      ...(capturedAt ? { capturedAt } : {}),
      ...(timeZone ? { timeZone } : {}),
      favorite: row.favorite === 1,
      hidden: row.hidden === 1,
      albums: parse<string[]>(row.albums, []),
      details: parse<AssetDetails>(row.details, {}),
    },
  };
}
