import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CatalogError } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-catalog-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function userVersion(path: string): number {
  const db = new DatabaseSync(path);
  try {
    return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  } finally {
    db.close();
  }
}

describe('Catalog.open', () => {
  it('creates every table on an empty database and sets the schema version', () => {
    const path = join(dir, 'catalog.db');
    const catalog = Catalog.open(path);
    catalog.close();
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
    const db = new DatabaseSync(path);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .sort();
    db.close();
    expect(tables).toEqual(['assets', 'copies', 'offloads', 'pending_copies', 'resources', 'runs', 'vanished']);
  });

  it('uses WAL on a file so a killed process cannot corrupt it', () => {
    const path = join(dir, 'catalog.db');
    Catalog.open(path).close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('reopens an existing catalog without migrating again or losing data', () => {
    const path = join(dir, 'catalog.db');
    const first = Catalog.open(path);
    const runId = first.startRun('daily', '2024-01-01T00:00:00Z');
    first.close();
    const second = Catalog.open(path);
    expect(second.lastRuns('daily', 10).map((r) => r.runId)).toEqual([runId]);
    second.close();
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
  });

  it('refuses a catalog written by a newer Lifeboat, and leaves it untouched', () => {
    const path = join(dir, 'catalog.db');
    Catalog.open(path).close();
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let error: unknown;
    try {
      Catalog.open(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).code).toBe('LIFEBOAT_CATALOG');
    expect((error as CatalogError).hint).toMatch(/Upgrade Lifeboat/);
    expect(userVersion(path)).toBe(SCHEMA_VERSION + 1);
  });

  it('reports a file that is not a database as a CatalogError', () => {
    const path = join(dir, 'not-a-db');
    writeFileSync(path, 'this is not sqlite, just some text that is long enough to be a header');
    expect(() => Catalog.open(path)).toThrow(CatalogError);
  });

  it('reports a missing folder as a CatalogError', () => {
    expect(() => Catalog.open(join(dir, 'missing', 'catalog.db'))).toThrow(CatalogError);
  });
});

describe('migrate', () => {
  it('applies migrations in order, each in its own transaction, and stops at a failing one', () => {
    const db = new DatabaseSync(':memory:');
    const migrations = ['CREATE TABLE a (x)', 'CREATE TABLE b (x); INSERT INTO a VALUES (1)', 'NOT SQL'];
    expect(() => migrate(db, ':memory:', migrations)).toThrow(CatalogError);
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(2);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: 1 }]);
    expect(db.isTransaction).toBe(false);
    db.close();
  });
});

describe('Catalog.transaction', () => {
  it('commits on success and rolls back on a throw, including nested transactions', () => {
    const catalog = Catalog.open(':memory:');
    catalog.transaction(() => catalog.startRun('kept', 't0'));
    expect(() =>
      catalog.transaction(() => {
        catalog.startRun('dropped', 't0');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    catalog.transaction(() => {
      catalog.startRun('outer', 't0');
      expect(() =>
        catalog.transaction(() => {
          catalog.startRun('inner', 't0');
          throw new Error('inner boom');
        }),
      ).toThrow('inner boom');
    });
    expect(catalog.lastRuns(undefined, 10).map((r) => r.plan)).toEqual(['outer', 'kept']);
    catalog.close();
  });

  it('refuses an async callback, which would hold the lock across awaits', () => {
    const catalog = Catalog.open(':memory:');
    expect(() => catalog.transaction(async () => 1)).toThrow(CatalogError);
    catalog.close();
  });
});

describe('Catalog.integrityCheck', () => {
  it('is empty for a sound catalog', () => {
    const catalog = Catalog.open(join(dir, 'catalog.db'));
    expect(catalog.integrityCheck()).toEqual([]);
    catalog.close();
  });

  it('close is idempotent', () => {
    const catalog = Catalog.open(':memory:');
    catalog.close();
    expect(() => catalog.close()).not.toThrow();
  });
});
