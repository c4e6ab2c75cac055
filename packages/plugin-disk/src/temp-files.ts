import { randomUUID } from 'node:crypto';
import { mkdir, opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tempOwner, tempOwnerTag, UNKNOWN_OWNER_STALE_MS } from '@lifeboat/core';
import { requireReady } from './availability.js';
import { hasCode } from './fs-error.js';
import { TEMP_DIR } from './key.js';

/**
 * Temp files live in `<root>/.lifeboat/tmp/`: on the same file system as the objects (so the final rename is
 * atomic) and in a folder `list` skips, so a half-written file is never seen as an object.
 */

/** Temp files of writes running in this process, which a cleanup must not remove from under them. */
const inFlight = new Set<string>();

/** Reserves a fresh temp path. Creates the temp folder, but never `.lifeboat/` itself (nor the root). */
export async function reserveTempPath(root: string): Promise<string> {
  const dir = join(root, ...TEMP_DIR.split('/'));
  try {
    await mkdir(dir);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) await requireReady(root); // throws the explanation: drive gone
    if (!hasCode(error, 'EEXIST')) throw error;
  }
  const path = join(dir, `${tempOwnerTag()}${randomUUID()}.part`);
  inFlight.add(path);
  return path;
}

export function releaseTempPath(path: string): void {
  inFlight.delete(path);
}

/**
 * Removes temp files left by interrupted writes (a crash, a kill, a drive pulled out), never one a live process
 * is writing: those of writes in progress here, those whose owner (named in the file) is still running on this
 * host (another plan's run sharing the destination), and those of an owner that cannot be asked (another host,
 * an older version) until they are an hour old. Returns how many files were removed.
 */
export async function cleanupTemp(root: string, olderThanMs = 0): Promise<number> {
  const dir = join(root, ...TEMP_DIR.split('/'));
  let removed = 0;
  try {
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      if (!entry.isFile() || inFlight.has(path)) continue;
      const owner = tempOwner(entry.name);
      if (owner === 'alive') continue;
      if (owner === 'unknown' && !(await isOlderThan(path, Math.max(olderThanMs, UNKNOWN_OWNER_STALE_MS)))) continue;
      if (olderThanMs > 0 && !(await isOlderThan(path, olderThanMs))) continue;
      try {
        await unlink(path);
        removed++;
      } catch (error) {
        if (!hasCode(error, 'ENOENT')) throw error;
      }
    }
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return removed; // no temp folder: nothing to clean
    throw error;
  }
  return removed;
}

async function isOlderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs >= ms;
  } catch {
    return false;
  }
}
