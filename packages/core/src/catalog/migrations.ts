import type { DatabaseSync } from 'node:sqlite';
import { CatalogError } from '@lifeboat/plugin-api';

/**
 * Schema migrations, in order. Migration N (1-based) brings the catalog from `user_version` N-1 to N.
 * Append only: never edit or reorder a released migration, and never drop data (copies are the record of
 * what is safe; losing one means copying again at best, and losing a vanished-asset report at worst).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: initial schema.
  `
  CREATE TABLE assets (
    source        TEXT NOT NULL,
    asset_id      TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    captured_at   TEXT,
    time_zone     TEXT,
    added_at      TEXT,
    albums        TEXT NOT NULL DEFAULT '[]',
    favorite      INTEGER NOT NULL DEFAULT 0,
    hidden        INTEGER NOT NULL DEFAULT 0,
    metadata      TEXT NOT NULL DEFAULT '{}',
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    last_seen_run INTEGER NOT NULL,
    PRIMARY KEY (source, asset_id)
  ) WITHOUT ROWID;
  -- finish(): find the assets a listing did not see.
  CREATE INDEX assets_by_run ON assets (source, last_seen_run);

  CREATE TABLE resources (
    source     TEXT NOT NULL,
    asset_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    version    TEXT NOT NULL,
    locator    TEXT,
    sha256     TEXT,
    media_type TEXT,
    PRIMARY KEY (source, asset_id, kind),
    FOREIGN KEY (source, asset_id) REFERENCES assets (source, asset_id) ON DELETE CASCADE
  ) WITHOUT ROWID;

  -- No foreign key to assets on purpose: no cascade may ever remove the record of a copy.
  CREATE TABLE copies (
    destination TEXT NOT NULL,
    source      TEXT NOT NULL,
    asset_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    version     TEXT NOT NULL,
    key         TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    copied_at   TEXT NOT NULL,
    verified_at TEXT NOT NULL,
    indexed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (destination, source, asset_id, kind, version),
    UNIQUE (destination, key)
  );
  -- unindexedCopies(): only the few copies not yet in a destination index.
  CREATE INDEX copies_unindexed ON copies (destination) WHERE indexed = 0;

  CREATE TABLE pending_copies (
    destination TEXT NOT NULL,
    key         TEXT NOT NULL,
    source      TEXT NOT NULL,
    asset_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    version     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    PRIMARY KEY (destination, key)
  ) WITHOUT ROWID;

  CREATE TABLE runs (
    run_id       INTEGER PRIMARY KEY,
    plan         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    ok           INTEGER,
    files_copied INTEGER NOT NULL DEFAULT 0,
    bytes_copied INTEGER NOT NULL DEFAULT 0,
    gone_count   INTEGER NOT NULL DEFAULT 0,
    summary      TEXT
  );
  CREATE INDEX runs_by_plan ON runs (plan, run_id);

  CREATE TABLE vanished (
    source           TEXT NOT NULL,
    asset_id         TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    first_missing_at TEXT NOT NULL,
    last_seen_at     TEXT NOT NULL,
    PRIMARY KEY (source, asset_id)
  ) WITHOUT ROWID;
  `,
  // 2: assets deleted at the source but still held in its trash (iCloud's Recently Deleted). `deleted_run` is the
  // run that first saw it deleted, so each deletion is reported once.
  `
  ALTER TABLE assets ADD COLUMN deleted_at TEXT;
  ALTER TABLE assets ADD COLUMN purge_at TEXT;
  ALTER TABLE assets ADD COLUMN deleted_run INTEGER;
  CREATE INDEX assets_deleted ON assets (source, deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // 3: the offload ledger: assets Lifeboat moved to the source's trash (`lifeboat offload --yes`), when, and the
  // copies that vouched for them (JSON list of {destination, kind, version, key}). No foreign key: the record of
  // a move must outlive the asset's rows.
  `
  CREATE TABLE offloads (
    source       TEXT NOT NULL,
    asset_id     TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    offloaded_at TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    vouchers     TEXT NOT NULL,
    PRIMARY KEY (source, asset_id, offloaded_at)
  ) WITHOUT ROWID;
  `,
  // 4: sidecars. `details`: the asset's descriptive fields (JSON: folder, title, caption, keywords, location,
  // albumFolders); `meta_hash`: a hash of everything a sidecar says of the asset but its albums (the albums column
  // is compared as it is). Per copy, the sidecar written beside it (size, sha256) and the metadata it was written
  // from (`sidecar_meta`: meta_hash and albums then): a copy whose asset now differs gets its sidecar rewritten.
  `
  ALTER TABLE assets ADD COLUMN details TEXT;
  ALTER TABLE assets ADD COLUMN meta_hash TEXT;
  ALTER TABLE copies ADD COLUMN sidecar_size INTEGER;
  ALTER TABLE copies ADD COLUMN sidecar_sha256 TEXT;
  ALTER TABLE copies ADD COLUMN sidecar_meta TEXT;
  `,
  // 5: an asset whose albums or other indexed fields change in a listing (a photo taken out of an album, a
  // favourite) has its copies' index entries written again, so each destination's index (and the album view built
  // from it) follows the source without waiting for a sidecar rewrite.
  `
  CREATE TRIGGER assets_reindex_on_change AFTER UPDATE OF albums, details, favorite, hidden, captured_at, time_zone
  ON assets
  WHEN OLD.albums IS NOT NEW.albums OR OLD.details IS NOT NEW.details OR OLD.favorite IS NOT NEW.favorite
    OR OLD.hidden IS NOT NEW.hidden OR OLD.captured_at IS NOT NEW.captured_at OR OLD.time_zone IS NOT NEW.time_zone
  BEGIN
    UPDATE copies SET indexed = 0 WHERE source = NEW.source AND asset_id = NEW.asset_id AND indexed = 1;
  END;
  `,
  // 6: when verify last found a copy missing or not matching (NULL: it read back fine, or was never found bad).
  // Such a copy vouches for nothing (offload) until repair writes it again or a verify reads it back whole.
  `
  ALTER TABLE copies ADD COLUMN failed_at TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/**
 * Brings the catalog up to SCHEMA_VERSION, one migration per transaction, so a crash mid-upgrade leaves the
 * catalog at the last completed version. Refuses a catalog written by a newer Lifeboat rather than guess.
 */
export function migrate(db: DatabaseSync, path: string, migrations: readonly string[] = MIGRATIONS): number {
  const target = migrations.length;
  const current = userVersion(db);
  if (current > target) {
    throw new CatalogError(
      `The catalog at ${path} was written by a newer version of Lifeboat (catalog schema ${current}; this version knows up to ${target}).`,
      { hint: 'Upgrade Lifeboat to use this catalog. It was left untouched.' },
    );
  }
  for (let version = current + 1; version <= target; version++) {
    // BEGIN IMMEDIATE takes the write lock first: two processes opening an old catalog cannot both migrate.
    db.exec('BEGIN IMMEDIATE');
    try {
      // Re-read under the lock: another process may have migrated while this one waited.
      if (userVersion(db) >= version) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(migrations[version - 1]!);
      // user_version lives in the database header and is part of the transaction.
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw new CatalogError(`Could not upgrade the catalog at ${path} to schema ${version}.`, {
        hint: 'The catalog was left at its previous version. Report this with the error below.',
        cause: error,
      });
    }
  }
  return target;
}
