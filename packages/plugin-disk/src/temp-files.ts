import { randomUUID } from 'node:crypto';
import { mkdir, opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
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
  const path = join(dir, `${randomUUID()}.part`);
  inFlight.add(path);
  return path;
}

export function releaseTempPath(path: string): void {
  inFlight.delete(path);
}

/**
 * Removes temp files left by interrupted writes (a crash, a kill, a drive pulled out), skipping those of
 * writes in progress in this process. Other processes' writes are not seen: call it only under core's run lock.
 * Returns how many files were removed.
 */
export async function cleanupTemp(root: string, olderThanMs = 0): Promise<number> {
  const dir = join(root, ...TEMP_DIR.split('/'));
  let removed = 0;
  try {
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      if (!entry.isFile() || inFlight.has(path)) continue;
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
