import type { DatabaseSync } from 'node:sqlite';
import { CatalogError } from '@lifeboat/plugin-api';
import { type Statements, transaction } from './db.js';
import { COPY_COLUMNS, INDEXABLE_COLUMNS, INDEXABLE_FROM, toCopy, toIndexable, toPending } from './rows.js';
import type {
  CopyCount,
  CopyRecord,
  IndexableCopy,
  KeyOwner,
  NewCopy,
  PendingCopy,
  RecordCopyResult,
  ResourceVersionRef,
} from './types.js';

const BY_RESOURCE = 'destination = ? AND source = ? AND asset_id = ? AND kind = ? AND version = ?';
const FIND_COPY = `SELECT ${COPY_COLUMNS} FROM copies c WHERE ${BY_RESOURCE}`;
const HAS_COPY = `SELECT 1 AS found FROM copies WHERE ${BY_RESOURCE}`;
const HELD_VERSIONS = `SELECT asset_id, kind, version FROM copies
  WHERE destination = ? AND source = ? AND asset_id IN (SELECT value FROM json_each(?))`;
const COPY_BY_KEY = 'SELECT source, asset_id, kind, version FROM copies WHERE destination = ? AND key = ?';
const PENDING_BY_KEY = 'SELECT source, asset_id, kind, version FROM pending_copies WHERE destination = ? AND key = ?';

/** What an index flush wrote of a copy: enough to tell whether the copy changed since. */
export interface WrittenEntry {
  key: string;
  albums: readonly string[];
  sidecar?: { sha256: string };
}

type OwnerRow = { source: string; asset_id: string; kind: string; version: string };

/** Queries on copies and pending copies: what is safely where. */
export class CopyStore {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;

  constructor(db: DatabaseSync, statements: Statements) {
    this.#db = db;
    this.#statements = statements;
  }

  findCopy(
    destination: string,
    source: string,
    assetId: string,
    kind: string,
    version: string,
  ): CopyRecord | undefined {
    const row = this.#statements.get(FIND_COPY).get(destination, source, assetId, kind, version);
    return row === undefined ? undefined : toCopy(row);
  }

  /** Copies of other versions of this resource on the destination with this size: maybe the same bytes. */
  sameSizeCopies(destination: string, r: ResourceVersionRef & { size: number }): CopyRecord[] {
    return this.#statements
      .get(
        `SELECT ${COPY_COLUMNS} FROM copies c WHERE destination = ? AND source = ? AND asset_id = ? AND kind = ?
           AND version <> ? AND size = ? ORDER BY c.copied_at DESC`,
      )
      .all(destination, r.source, r.assetId, r.kind, r.version, r.size)
      .map(toCopy);
  }

  /**
   * Gives a copy the version its source now reports for the same bytes (a file whose time alone changed), and
   * has its index entry written again with it. The bytes, key and sha256 stay as they are.
   */
  relabelCopy(copy: CopyRecord, version: string): void {
    this.#statements
      .get(`UPDATE copies SET version = ?, indexed = 0 WHERE ${BY_RESOURCE}`)
      .run(version, copy.destination, copy.source, copy.assetId, copy.kind, copy.version);
  }

  hasCopy(destination: string, source: string, assetId: string, kind: string, version: string): boolean {
    return this.#statements.get(HAS_COPY).get(destination, source, assetId, kind, version) !== undefined;
  }

  /**
   * Which versions of these assets `destination` holds, as `assetId\0kind\0version`: one query for a whole
   * batch of a listing, where a hasCopy per resource costs a round trip into SQLite each.
   */
  heldVersions(destination: string, source: string, assetIds: readonly string[]): Set<string> {
    const statement = this.#statements.get(HELD_VERSIONS);
    statement.setReturnArrays(true);
    const held = new Set<string>();
    for (const row of statement.iterate(destination, source, JSON.stringify(assetIds))) {
      const [assetId, kind, version] = row as unknown as string[];
      held.add(`${assetId}\u0000${kind}\u0000${version}`);
    }
    return held;
  }

  keyOwner(destination: string, key: string): KeyOwner | undefined {
    const copy = this.#statements.get(COPY_BY_KEY).get(destination, key) as OwnerRow | undefined;
    if (copy !== undefined) return owner(copy, false);
    const pending = this.#statements.get(PENDING_BY_KEY).get(destination, key) as OwnerRow | undefined;
    return pending === undefined ? undefined : owner(pending, true);
  }

  /**
   * Records the intent to write `key` before writing it. Retrying the same resource refreshes `startedAt`;
   * a key held by another resource (copy or pending) is refused, so two resources can never share a key.
   */
  addPending(p: PendingCopy): void {
    transaction(this.#db, () => {
      const holder = this.keyOwner(p.destination, p.key);
      if (holder !== undefined && !sameResource(holder, p)) throw keyTaken(p.destination, p.key, holder);
      this.#statements
        .get(
          `INSERT INTO pending_copies (destination, key, source, asset_id, kind, version, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (destination, key) DO UPDATE SET started_at = excluded.started_at`,
        )
        .run(p.destination, p.key, p.source, p.assetId, p.kind, p.version, p.startedAt);
    });
  }

  pendingFor(destination: string): PendingCopy[] {
    return this.#statements
      .get('SELECT * FROM pending_copies WHERE destination = ? ORDER BY started_at, key')
      .all(destination)
      .map(toPending);
  }

  removePending(destination: string, key: string): void {
    this.#statements.get('DELETE FROM pending_copies WHERE destination = ? AND key = ?').run(destination, key);
  }

  /**
   * Records a verified copy and clears its pending intent, atomically. Returns what happened:
   * - `recorded`: a new copy.
   * - `reverified`: the same copy (key, size, sha256) again; its `verifiedAt` is refreshed.
   * - `duplicate`: this version is already recorded on the destination under another key (two machines backing
   *   up to one drive can leave two files of one version). The first record is kept; both files stay.
   * The same key with other bytes, or a key held by another resource, is refused with a CatalogError: the
   * catalog must never describe bytes that are not there.
   */
  recordCopy(c: NewCopy): RecordCopyResult {
    return transaction(this.#db, (): RecordCopyResult => {
      const holder = this.keyOwner(c.destination, c.key);
      if (holder !== undefined && !sameResource(holder, c)) throw keyTaken(c.destination, c.key, holder);
      const existing = this.findCopy(c.destination, c.source, c.assetId, c.kind, c.version);
      let result: RecordCopyResult;
      if (existing === undefined) {
        this.#insertCopy(c);
        result = 'recorded';
      } else if (existing.key !== c.key) {
        result = 'duplicate';
      } else if (existing.sha256 !== c.sha256 || existing.size !== c.size) {
        throw new CatalogError(
          `${c.destination} holds ${c.key} as ${existing.size} bytes with sha256 ${existing.sha256}, ` +
            `but it was now read as ${c.size} bytes with sha256 ${c.sha256}.`,
          { hint: 'The file changed on the destination after it was copied. Run `lifeboat verify` on it.' },
        );
      } else {
        this.#statements
          .get(`UPDATE copies SET verified_at = ?, failed_at = NULL WHERE ${BY_RESOURCE}`)
          .run(c.verifiedAt, c.destination, c.source, c.assetId, c.kind, c.version);
        result = 'reverified';
      }
      this.removePending(c.destination, c.key);
      return result;
    });
  }

  #insertCopy(c: NewCopy): void {
    this.#statements
      .get(
        `INSERT INTO copies (destination, source, asset_id, kind, version, key, size, sha256, copied_at, verified_at,
                             indexed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.destination,
        c.source,
        c.assetId,
        c.kind,
        c.version,
        c.key,
        c.size,
        c.sha256,
        c.copiedAt,
        c.verifiedAt,
        c.indexed ? 1 : 0,
      );
  }

  /** Copies the destination's own index does not list yet, oldest first, with the metadata an entry needs. */
  unindexedCopies(destination: string, limit = -1): IndexableCopy[] {
    // LIMIT -1 is SQLite for "no limit".
    return this.#statements
      .get(
        `SELECT ${INDEXABLE_COLUMNS} ${INDEXABLE_FROM} WHERE c.destination = ? AND c.indexed = 0 ORDER BY c.rowid LIMIT ?`,
      )
      .all(destination, limit)
      .map(toIndexable);
  }

  markIndexed(destination: string, keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.#statements
      .get('UPDATE copies SET indexed = 1 WHERE destination = ? AND key IN (SELECT value FROM json_each(?))')
      .run(destination, JSON.stringify(keys));
  }

  /**
   * Marks index entries as written, except a copy whose asset's albums changed since its entry was read (a
   * source reporting albums late): that one stays unindexed, so the next flush writes it again with them.
   */
  markIndexedAsWritten(destination: string, written: readonly WrittenEntry[]): void {
    // A sidecar rewritten meanwhile likewise keeps the copy due: its entry must name the new sidecar.
    const mark = this.#statements.get(
      `UPDATE copies SET indexed = 1 WHERE destination = ? AND key = ? AND sidecar_sha256 IS ?
         AND COALESCE((SELECT a.albums FROM assets a WHERE a.source = copies.source AND a.asset_id = copies.asset_id),
                      '[]') = ?`,
    );
    transaction(this.#db, () => {
      for (const w of written) mark.run(destination, w.key, w.sidecar?.sha256 ?? null, JSON.stringify(w.albums));
    });
  }

  copyCounts(): CopyCount[] {
    return this.#statements
      .get(
        `SELECT c.destination, COUNT(*) AS copies, COALESCE(SUM(c.size), 0) AS bytes,
                (SELECT COUNT(*) FROM (SELECT DISTINCT source, asset_id FROM copies d
                                       WHERE d.destination = c.destination)) AS assets
         FROM copies c GROUP BY c.destination ORDER BY c.destination`,
      )
      .all()
      .map((row) => ({
        destination: row.destination as string,
        assets: row.assets as number,
        copies: row.copies as number,
        bytes: row.bytes as number,
      }));
  }

  *copiesOn(destination: string): Generator<CopyRecord> {
    // A fresh statement per call: a cached one would be reset if two iterations overlapped.
    const statement = this.#db.prepare(`SELECT ${COPY_COLUMNS} FROM copies c WHERE c.destination = ? ORDER BY c.key`);
    for (const row of statement.iterate(destination)) yield toCopy(row);
  }
}

function owner(row: OwnerRow, pending: boolean): KeyOwner {
  return { source: row.source, assetId: row.asset_id, kind: row.kind, version: row.version, pending };
}

function sameResource(a: ResourceVersionRef, b: ResourceVersionRef): boolean {
  return a.source === b.source && a.assetId === b.assetId && a.kind === b.kind && a.version === b.version;
}

function keyTaken(destination: string, key: string, holder: KeyOwner): CatalogError {
  return new CatalogError(
    `Key ${key} on ${destination} already belongs to ${holder.source}/${holder.assetId} ${holder.kind} ` +
      `version ${holder.version}${holder.pending ? ' (a write in progress)' : ''}.`,
    { hint: 'This is a bug in Lifeboat: keys are chosen with keyOwner() to avoid collisions.' },
  );
}
