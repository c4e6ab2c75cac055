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

const ASSETS = `
  SELECT a.asset_id, a.file_name, a.captured_at, a.added_at, a.favorite, a.albums, a.deleted_at, a.metadata
  FROM assets a WHERE a.source = ?
    AND NOT EXISTS (SELECT 1 FROM vanished v WHERE v.source = a.source AND v.asset_id = a.asset_id)
  ORDER BY a.asset_id`;
const RESOURCES = 'SELECT kind, version, size, sha256, file_name FROM resources WHERE source = ? AND asset_id = ?';
const COPIES = `SELECT destination, kind, version, key, size, sha256, verified_at FROM copies
  WHERE source = ? AND asset_id = ? ORDER BY destination, kind`;

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
    // A fresh statement: the per-asset queries below run while this one iterates.
    const assets = this.#db.prepare(ASSETS);
    for (const row of assets.iterate(source) as Iterable<Row>) {
      const assetId = row.asset_id as string;
      const resources = this.#statements
        .get(RESOURCES)
        .all(source, assetId)
        .map((r) => ({
          kind: r.kind as string,
          version: r.version as string,
          size: r.size as number,
          fileName: r.file_name as string,
          ...(r.sha256 === null ? {} : { sha256: r.sha256 as string }),
        }));
      const copies = this.#statements
        .get(COPIES)
        .all(source, assetId)
        .map((c) => ({
          destination: c.destination as string,
          kind: c.kind as string,
          version: c.version as string,
          key: c.key as string,
          size: c.size as number,
          sha256: c.sha256 as string,
          verifiedAt: c.verified_at as string,
        }));
      const candidate: OffloadCandidate = {
        assetId,
        fileName: row.file_name as string,
        favorite: row.favorite === 1,
        albums: parseList(row.albums),
        inSourceTrash: row.deleted_at !== null,
        metadata: parseObject(row.metadata),
        resources,
        copies,
      };
      const capturedAt = opt(row.captured_at);
      const addedAt = opt(row.added_at);
      if (capturedAt !== undefined) candidate.capturedAt = capturedAt;
      if (addedAt !== undefined) candidate.addedAt = addedAt;
      yield candidate;
    }
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
