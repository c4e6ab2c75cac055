import type { Dirent, Stats } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo } from '@lifeboat/plugin-api';
import { hasCode } from '@lifeboat/plugin-api';
import { rootMissing, unreachable } from './availability.js';
import { prefixDirSegments, TEMP_DIR } from './key.js';

/**
 * Streams every regular file under the root whose key starts with `prefix`, each once. The walk starts at the
 * deepest folder the prefix names (listing `.lifeboat/index/` never walks the photos) and skips the temp
 * folder. Symlinks are not followed: the destination never creates them, and they could lead outside the root.
 */
export async function* listObjects(root: string, prefix: string): AsyncGenerator<ObjectInfo> {
  const segments = prefixDirSegments(prefix);
  if (segments === undefined) return; // no valid key can start with this prefix
  await requireRootFolder(root);
  const start = segments.join('/');
  const lower = start.toLowerCase();
  if (lower === TEMP_DIR || lower.startsWith(`${TEMP_DIR}/`)) return; // temp files are never objects
  yield* walk(root, start, prefix);
}

async function* walk(root: string, relDir: string, prefix: string): AsyncGenerator<ObjectInfo> {
  const absDir = relDir === '' ? root : join(root, ...relDir.split('/'));
  for (const entry of await readEntries(absDir)) {
    if (entry.name.includes('\\')) continue; // not a key this destination could have written
    const key = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const path = join(absDir, entry.name);
    // Some file systems do not report entry types (DT_UNKNOWN): ask for those.
    const known = entry.isDirectory() || entry.isFile() || entry.isSymbolicLink();
    const stats = known ? undefined : await lstatIfPresent(path);
    if (entry.isDirectory() || stats?.isDirectory()) {
      if (key.toLowerCase() === TEMP_DIR) continue;
      const folder = `${key}/`;
      if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* walk(root, key, prefix);
    } else if ((entry.isFile() || stats?.isFile()) && key.startsWith(prefix)) {
      const info = await objectInfo(path, key);
      if (info) yield info;
    }
  }
}

/** Sorted names of one folder. A folder that vanished or is not a folder has no objects. */
async function readEntries(absDir: string): Promise<Dirent[]> {
  const entries: Dirent[] = [];
  try {
    for await (const entry of await opendir(absDir)) entries.push(entry);
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Size and time of a regular file; undefined if it was deleted since the folder was read. */
async function objectInfo(path: string, key: string): Promise<ObjectInfo | undefined> {
  const stats = await lstatIfPresent(path);
  return stats?.isFile() ? { key, size: stats.size, modifiedAt: stats.mtime.toISOString() } : undefined;
}

async function lstatIfPresent(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Listing an absent root must fail: an empty answer would read as "this destination holds nothing". */
async function requireRootFolder(root: string): Promise<void> {
  try {
    await (await opendir(root)).close();
  } catch (error) {
    throw hasCode(error, 'ENOENT', 'ENOTDIR') ? rootMissing(root) : unreachable(root, error);
  }
}
