import { randomUUID } from 'node:crypto';
import { opendir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirs, hasCode } from './fs-util.js';
import { TMP } from './layout.js';

/**
 * Temp files live in `<root>/tmp/`: on the same file system as blobs and records (so rename is atomic) and
 * outside `keys/`, so a half-written file is never listed.
 */

/** Temp files of writes running in this process: recover() must not pull them from under a write. */
const inFlight = new Set<string>();

export async function reserveTemp(root: string): Promise<string> {
  await ensureDirs(root, TMP); // the caller has checked the marker: the root exists
  const path = join(root, TMP, `${randomUUID()}.part`);
  inFlight.add(path);
  return path;
}

/** Forgets a temp path and removes the file if it is still there (already renamed away is fine). */
export async function discardTemp(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
  } finally {
    inFlight.delete(path);
  }
}

/**
 * Removes what interrupted writes left in `tmp/`, except files of writes in progress in this process. Writes
 * of another process are invisible here: run it only under Lifeboat's run lock (core calls recover() there).
 */
export async function cleanupTemp(root: string): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of await opendir(join(root, TMP))) {
      const path = join(root, TMP, entry.name);
      if (!entry.isFile() || inFlight.has(path)) continue;
      await unlink(path).then(
        () => removed++,
        (error: unknown) => {
          if (!hasCode(error, 'ENOENT')) throw error;
        },
      );
    }
  } catch (error) {
    if (!hasCode(error, 'ENOENT', 'ENOTDIR')) throw error; // no tmp/ folder: nothing to clean
  }
  return removed;
}
