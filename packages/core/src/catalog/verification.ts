import type { DatabaseSync } from 'node:sqlite';
import { type Statements, transaction } from './db.js';
import type { ResourceVersionRef } from './types.js';

/** The version of a resource its source currently lists, with what the source needs to open it again. */
export interface CurrentResource extends ResourceVersionRef {
  fileName: string;
  size: number;
  locator?: string;
  sha256?: string;
}

/** Queries and updates for `lifeboat verify` and `lifeboat repair` (see core's verify/). */
export class VerificationStore {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;

  constructor(db: DatabaseSync, statements: Statements) {
    this.#db = db;
    this.#statements = statements;
  }

  /** Records that these copies were read back and matched their size and sha256 at `at`. */
  markVerified(destination: string, keys: readonly string[], at: string): void {
    if (keys.length === 0) return;
    transaction(this.#db, () => {
      this.#statements
        .get(
          'UPDATE copies SET verified_at = ?, failed_at = NULL WHERE destination = ? AND key IN (SELECT value FROM json_each(?))',
        )
        .run(at, destination, JSON.stringify(keys));
    });
  }

  /** Records that verify found these copies missing or not matching: they vouch for nothing until read back whole. */
  markFailed(destination: string, keys: readonly string[], at: string): void {
    if (keys.length === 0) return;
    this.#statements
      .get('UPDATE copies SET failed_at = ? WHERE destination = ? AND key IN (SELECT value FROM json_each(?))')
      .run(at, destination, JSON.stringify(keys));
  }

  /** Makes the next index flush list these copies again (the destination's index lost or garbled them). */
  markUnindexed(destination: string, keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.#statements
      .get('UPDATE copies SET indexed = 0 WHERE destination = ? AND key IN (SELECT value FROM json_each(?))')
      .run(destination, JSON.stringify(keys));
  }

  currentResource(source: string, assetId: string, kind: string): CurrentResource | undefined {
    const row = this.#statements
      .get(
        'SELECT version, file_name, size, locator, sha256 FROM resources WHERE source = ? AND asset_id = ? AND kind = ?',
      )
      .get(source, assetId, kind) as
      | { version: string; file_name: string; size: number; locator: string | null; sha256: string | null }
      | undefined;
    if (row === undefined) return undefined;
    return {
      source,
      assetId,
      kind,
      version: row.version,
      fileName: row.file_name,
      size: row.size,
      ...(row.locator === null ? {} : { locator: row.locator }),
      ...(row.sha256 === null ? {} : { sha256: row.sha256 }),
    };
  }
}
