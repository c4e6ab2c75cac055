import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { encodeLocator, type LibraryRef } from './photos/locator.js';
import { type CkRecord, fieldAssetId } from './photos/records.js';

/** Assumed lifetime of a download URL without an `e=` expiry (Apple's are about an hour). */
const DEFAULT_TTL_MS = 50 * 60_000;
/** A URL this close to its expiry is not handed out: a large file may take a while to start. */
const MARGIN_MS = 2 * 60_000;

/**
 * Download URLs seen while listing, by locator, so `open` need not ask iCloud again while they are fresh. They
 * expire (about an hour), so each is kept with its expiry; an expired or missing one is resolved again. On disk
 * (node:sqlite, under the plugin's storage dir) so a 100,000-photo library costs no memory; in memory for tests.
 */
export interface UrlCache {
  get(locator: string, now?: number): string | undefined;
  /** Remembers the download URLs of a page of records. */
  putRecords(library: LibraryRef, records: readonly CkRecord[], now?: number): void;
  close(): void;
}

export function expiryOf(url: string, now: number): number {
  try {
    const e = new URL(url).searchParams.get('e');
    if (e && /^\d{9,11}$/.test(e)) return Number(e) * 1000;
  } catch {}
  return now + DEFAULT_TTL_MS;
}

function* urlsOf(library: LibraryRef, records: readonly CkRecord[]): Generator<[string, string]> {
  for (const record of records) {
    for (const field of Object.keys(record.fields)) {
      if (!/^res[A-Za-z]+Res$/.test(field)) continue;
      const url = fieldAssetId(record, field)?.downloadURL;
      if (!url || !/^https?:\/\//i.test(url)) continue;
      yield [encodeLocator({ library, recordType: record.recordType, recordName: record.recordName, field }), url];
    }
  }
}

export class MemoryUrlCache implements UrlCache {
  readonly #map = new Map<string, { url: string; expires: number }>();

  get(locator: string, now = Date.now()): string | undefined {
    const hit = this.#map.get(locator);
    return hit && hit.expires - MARGIN_MS > now ? hit.url : undefined;
  }

  putRecords(library: LibraryRef, records: readonly CkRecord[], now = Date.now()): void {
    for (const [key, url] of urlsOf(library, records)) this.#map.set(key, { url, expires: expiryOf(url, now) });
  }

  close(): void {
    this.#map.clear();
  }
}

export class SqliteUrlCache implements UrlCache {
  readonly #db: DatabaseSync;
  readonly #get;
  readonly #put;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS urls (locator TEXT PRIMARY KEY, url TEXT NOT NULL, expires INTEGER NOT NULL)',
    );
    this.#db.prepare('DELETE FROM urls WHERE expires < ?').run(Date.now());
    this.#get = this.#db.prepare('SELECT url, expires FROM urls WHERE locator = ?');
    this.#put = this.#db.prepare('INSERT OR REPLACE INTO urls (locator, url, expires) VALUES (?, ?, ?)');
  }

  get(locator: string, now = Date.now()): string | undefined {
    const row = this.#get.get(locator) as { url: string; expires: number } | undefined;
    return row && row.expires - MARGIN_MS > now ? row.url : undefined;
  }

  putRecords(library: LibraryRef, records: readonly CkRecord[], now = Date.now()): void {
    this.#db.exec('BEGIN');
    try {
      for (const [key, url] of urlsOf(library, records)) this.#put.run(key, url, expiryOf(url, now));
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
