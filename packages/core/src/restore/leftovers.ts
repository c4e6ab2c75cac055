import type { Dirent } from 'node:fs';
import { opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tempOwner, UNKNOWN_OWNER_STALE_MS } from '@lifeboat/plugin-api';
import { RESTORE_TEMP_SUFFIX } from './restore-file.js';

/**
 * Removes the temp files a killed restore left in the restore folder (`.<owner>~<random>.lifeboat-restore`, beside
 * where each file was going), never one a live restore is still writing. Links are not followed. Returns the
 * paths removed. A folder that cannot be read is skipped: the restore itself then reports it.
 */
export async function removeRestoreLeftovers(root: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries: Dirent[] = [];
    try {
      for await (const entry of await opendir(dir)) entries.push(entry);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.startsWith('.') && entry.name.endsWith(RESTORE_TEMP_SUFFIX)) {
        if (!(await abandoned(path, entry.name))) continue;
        await unlink(path).then(
          () => removed.push(path),
          () => {},
        );
      }
    }
  };
  await walk(root);
  return removed;
}

async function abandoned(path: string, name: string): Promise<boolean> {
  const owner = tempOwner(name);
  if (owner === 'dead') return true;
  if (owner !== 'unknown') return false;
  // An older version's name, or another host's on a shared folder: gone once untouched for an hour.
  const modified = await stat(path).then(
    (s) => s.mtimeMs,
    () => Date.now(),
  );
  return Date.now() - modified >= UNKNOWN_OWNER_STALE_MS;
}
