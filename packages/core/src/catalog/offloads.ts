import type { DatabaseSync } from 'node:sqlite';
import { type Statements, transaction } from './db.js';

/** One current resource of an asset, and every recorded copy of any of its versions. */
export interface OffloadCandidate {
  assetId: string;
  fileName: string;
  capturedAt?: string;
  addedAt?: string;
  favorite: boolean;
  albums: string[];
  /** Deleted at the source, still in its trash. */
  inSourceTrash: boolean;
  /** What the source reported with the asset (a source's move needs its own record names and tags). */
  metadata: Record<string, unknown>;
  resources: { kind: string; version: string; size: number; sha256?: string; fileName: string }[];
  copies: {
    destination: string;
    kind: string;
    version: string;
    key: string;
    size: number;
    sha256: string;
    verifiedAt: string;
    copiedAt: string;
  }[];
}

/** The copy that vouched for one resource of an offloaded asset. */
export interface Voucher {
  destination: string;
  kind: string;
  version: string;
  key: string;
}

export interface OffloadRecord {
  source: string;
  assetId: string;
  fileName: string;
  offloadedAt: string;
  bytes: number;
  vouchers: Voucher[];
}

/**
 * One ordered pass over every listed asset of a source with its resources and copies: the three tables as one
 * UNION ALL sorted by asset, so a row of kind 0 (the asset) comes before its resources (1) and copies (2). One
 * query instead of two per asset: at 100,000 assets the per-asset copy lookups (the copies key leads with the
 * destination) dominated.
 */
const CANDIDATES = `
  SELECT 0 AS part, a.asset_id, a.file_name AS c1, a.captured_at AS c2, a.added_at AS c3, a.favorite AS c4,
         a.albums AS c5, a.deleted_at AS c6, a.metadata AS c7, NULL AS c8
  FROM assets a WHERE a.source = ?1
    AND NOT EXISTS (SELECT 1 FROM vanished v WHERE v.source = a.source AND v.asset_id = a.asset_id)
  UNION ALL
  SELECT 1, asset_id, kind, version, size, sha256, file_name, NULL, NULL, NULL FROM resources WHERE source = ?1
  UNION ALL
  SELECT 2, asset_id, destination, kind, version, key, size, sha256, verified_at, copied_at FROM copies
    WHERE source = ?1 AND failed_at IS NULL
  ORDER BY 2, 1, 3, 4, 5`;

type Row = Record<string, unknown>;
const opt = (v: unknown) => (v === null || v === undefined ? undefined : (v as string));

/** The offload ledger and what `lifeboat offload` decides from (see core's offload/). */
export class OffloadStore {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;

  constructor(db: DatabaseSync, statements: Statements) {
    this.#db = db;
    this.#statements = statements;
  }

  /** Every asset of `source` still listed (in its trash or not), with its current resources and all copies. */
  *candidates(source: string): Generator<OffloadCandidate> {
    let current: OffloadCandidate | undefined;
    for (const row of this.#db.prepare(CANDIDATES).iterate(source) as Iterable<Row>) {
      const assetId = row.asset_id as string;
      if (row.part === 0) {
        if (current !== undefined) yield current;
        current = assetOf(row);
      } else if (current?.assetId !== assetId) {
        // Resources or copies of an asset that vanished (or was never listed): not a candidate.
      } else if (row.part === 1) {
        current.resources.push({
          kind: row.c1 as string,
          version: row.c2 as string,
          size: row.c3 as number,
          fileName: row.c5 as string,
          ...(row.c4 === null ? {} : { sha256: row.c4 as string }),
        });
      } else {
        current.copies.push({
          destination: row.c1 as string,
          kind: row.c2 as string,
          version: row.c3 as string,
          key: row.c4 as string,
          size: row.c5 as number,
          sha256: row.c6 as string,
          verifiedAt: row.c7 as string,
          copiedAt: row.c8 as string,
        });
      }
    }
    if (current !== undefined) yield current;
  }

  recordOffload(record: OffloadRecord): void {
    transaction(this.#db, () => {
      this.#statements
        .get(
          `INSERT INTO offloads (source, asset_id, file_name, offloaded_at, bytes, vouchers) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        )
        .run(
          record.source,
          record.assetId,
          record.fileName,
          record.offloadedAt,
          record.bytes,
          JSON.stringify(record.vouchers),
        );
    });
  }

  /** Offloaded assets (all sources when omitted), oldest move first; `since`: moved at or after that time. */
  offloads(source?: string, since?: string): OffloadRecord[] {
    return this.#statements
      .get(
        `SELECT * FROM offloads WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR offloaded_at >= ?2)
         ORDER BY offloaded_at, source, asset_id`,
      )
      .all(source ?? null, since ?? null)
      .map((r) => ({
        source: r.source as string,
        assetId: r.asset_id as string,
        fileName: r.file_name as string,
        offloadedAt: r.offloaded_at as string,
        bytes: r.bytes as number,
        vouchers: JSON.parse(r.vouchers as string) as Voucher[],
      }));
  }

  /** Distinct assets offloaded and their bytes, per source. */
  offloadTotals(): { source: string; assets: number; bytes: number }[] {
    return this.#statements
      .get(
        `SELECT source, COUNT(DISTINCT asset_id) AS assets, COALESCE(SUM(bytes), 0) AS bytes
         FROM offloads GROUP BY source ORDER BY source`,
      )
      .all()
      .map((r) => ({ source: r.source as string, assets: r.assets as number, bytes: r.bytes as number }));
  }
}

function assetOf(row: Row): OffloadCandidate {
  const candidate: OffloadCandidate = {
    assetId: row.asset_id as string,
    fileName: row.c1 as string,
    favorite: row.c4 === 1,
    albums: parseList(row.c5),
    inSourceTrash: row.c6 !== null,
    metadata: parseObject(row.c7),
    resources: [],
    copies: [],
  };
  const capturedAt = opt(row.c2);
  const addedAt = opt(row.c3);
  if (capturedAt !== undefined) candidate.capturedAt = capturedAt;
  if (addedAt !== undefined) candidate.addedAt = addedAt;
  return candidate;
}

function parseList(text: unknown): string[] {
  try {
    const value = JSON.parse(String(text)) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

function parseObject(text: unknown): Record<string, unknown> {
  try {
    const value = JSON.parse(String(text)) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
