import { CatalogError } from '@lifeboat/plugin-api';

/** SQLite's words (and result codes 11, 26) for a damaged database file: a torn page, garbage over the header. */
const DAMAGE = /database disk image is malformed|file is not a database|SQLITE_CORRUPT|SQLITE_NOTADB/i;

/** Whether an error, or any error it wraps, says the catalog file is damaged. */
export function isCatalogDamage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { message, errcode } = e as { message?: unknown; errcode?: unknown };
    if (errcode === 11 || errcode === 26) return true;
    if (typeof message === 'string' && DAMAGE.test(message)) return true;
  }
  return false;
}

/** What to tell the user instead of SQLite's raw error: what happened, that the backups are fine, the fix. */
export function catalogDamaged(path: string, cause: unknown): CatalogError {
  return new CatalogError(
    `The catalog at ${path} is damaged (SQLite: ${(cause as { message?: string })?.message ?? String(cause)}); your backups on the destinations are not affected`,
    {
      hint: "Run `lifeboat catalog rebuild`: it moves the damaged file aside and rebuilds the catalog from each destination's own index (run history is not kept)",
      cause,
    },
  );
}
