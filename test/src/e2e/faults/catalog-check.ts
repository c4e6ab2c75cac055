import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * SQLite's own `PRAGMA integrity_check` on the catalog in `home`, read as another process would after a crash
 * (opening it replays the WAL). Returns SQLite's complaints; [] when the file is sound (or, with `mayBeAbsent`,
 * when there is none: a run killed before it first created the catalog).
 */
export function catalogProblems(home: string, options: { mayBeAbsent?: boolean } = {}): string[] {
  const file = join(home, 'catalog.sqlite');
  if (!existsSync(file)) return options.mayBeAbsent ? [] : [`no catalog at ${file}`];
  const db = new DatabaseSync(file);
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    const problems = rows.map((r) => r.integrity_check);
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  } finally {
    db.close();
  }
}
