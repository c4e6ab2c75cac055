import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { CatalogError, ErrorCode, hasCode } from '@lifeboat/plugin-api';
import { catalogDamaged, isCatalogDamage } from './damage.js';
import { migrate } from './migrations.js';

/** Opens (creating if needed) and migrates a catalog database. */
export function openDatabase(path: string): DatabaseSync {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (error) {
    throw new CatalogError(`Could not open the catalog at ${path}.`, {
      hint: 'Check that its folder exists and is writable.',
      cause: error,
    });
  }
  try {
    // busy_timeout first: switching to WAL needs a lock another process may hold for a moment.
    db.exec('PRAGMA busy_timeout = 5000');
    // WAL + NORMAL: a SIGKILL or crash loses at most the last commits, never corrupts; readers never block the writer.
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, path);
  } catch (error) {
    db.close();
    if (isCatalogDamage(error)) throw catalogDamaged(path, error);
    if (hasCode(error, ErrorCode.Catalog)) throw error;
    throw new CatalogError(`The file at ${path} is not a usable Lifeboat catalog.`, {
      hint: 'If it is damaged, move it aside: Lifeboat rebuilds what it needs from your destinations.',
      cause: error,
    });
  }
  return db;
}

/** Prepared statements, compiled once per catalog: the hot paths (hasCopy, inventory) run millions of times. */
export class Statements {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }
}

let savepoints = 0;

/**
 * Runs `fn` in a transaction: BEGIN IMMEDIATE (take the write lock up front, so a busy catalog waits at the
 * start instead of failing at COMMIT), or a savepoint when already inside one, so helpers that need atomicity
 * compose with a caller's transaction. `fn` must be synchronous: an await would leave the lock held.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  const nested = db.isTransaction;
  const savepoint = `lifeboat_${++savepoints}`;
  db.exec(nested ? `SAVEPOINT ${savepoint}` : 'BEGIN IMMEDIATE');
  let result: T;
  try {
    result = fn();
    if (isThenable(result)) {
      throw new CatalogError('A catalog transaction was given an async function.', {
        hint: 'This is a bug in Lifeboat: catalog transactions must be synchronous.',
      });
    }
  } catch (error) {
    if (nested) {
      db.exec(`ROLLBACK TO ${savepoint}`);
      db.exec(`RELEASE ${savepoint}`);
    } else if (db.isTransaction) {
      db.exec('ROLLBACK');
    }
    throw error;
  }
  db.exec(nested ? `RELEASE ${savepoint}` : 'COMMIT');
  return result;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
