import type { Dirent } from 'node:fs';
import { opendir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode, ifPresent } from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { KEYS, RECORD_FILE } from './layout.js';
import { type KeyRecord, parseRecord } from './records.js';

/** Records read at once: enough to hide the drive's latency, few enough not to run out of file handles. */
const BATCH = 64;

/**
 * Every record in the archive, each once. Names are hashes, so a prefix cannot prune the walk: the caller
 * filters on the key inside. Names that are not records (`.DS_Store`, `._x.json` from macOS on exFAT) are
 * skipped; a record deleted since its folder was read is simply not there.
 */
export async function* listRecords(root: string): AsyncGenerator<KeyRecord> {
  // An absent drive must fail: an empty listing would read as "this archive holds nothing".
  await requireReady(root);
  const keysDir = join(root, KEYS);
  // Names first (a few bytes each), then read the records in batches across folders: most folders hold a
  // handful of records, and reading folder by folder would leave the drive idle between them.
  const paths: string[] = [];
  for (const fanout of await folderNames(keysDir)) {
    const dir = join(keysDir, fanout);
    for (const e of await entries(dir)) if (mayBe(e, 'file') && RECORD_FILE.test(e.name)) paths.push(join(dir, e.name));
  }
  for (let i = 0; i < paths.length; i += BATCH) {
    const batch = paths.slice(i, i + BATCH).map(async (path) => {
      const text = await ifPresent(readFile(path, 'utf8'));
      return text === undefined ? undefined : parseRecord(text, path);
    });
    for (const record of await Promise.all(batch)) if (record) yield record;
  }
}

async function folderNames(dir: string): Promise<string[]> {
  return (await entries(dir)).filter((e) => mayBe(e, 'folder') && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}

/** Some file systems report no entry types (DT_UNKNOWN): such an entry may be either, and reading it will tell. */
export function mayBe(entry: Dirent, kind: 'file' | 'folder'): boolean {
  if (entry.isSymbolicLink()) return false; // the archive never creates links; they could lead outside it
  return kind === 'file' ? !entry.isDirectory() : !entry.isFile();
}

/** A folder's entries, sorted for a stable order; none when it vanished. */
export async function entries(dir: string): Promise<Dirent[]> {
  const found: Dirent[] = [];
  try {
    for await (const entry of await opendir(dir)) found.push(entry);
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
