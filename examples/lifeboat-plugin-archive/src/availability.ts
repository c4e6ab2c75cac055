import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DestinationUnavailableError,
  errorCode,
  fsyncDir,
  hasCode,
  ifPresent,
  makeDirsBelow,
  writeDurably,
} from '@lifeboat/plugin-api';
import { BLOBS, KEYS, MARKER, TMP } from './layout.js';

/**
 * An archive is usable once `<root>/.archive-root` exists. A drive that is not mounted often leaves its empty
 * mount point behind: writing there would fill the system disk, so only `prepare()` creates the marker.
 */
export async function requireReady(root: string): Promise<void> {
  try {
    if ((await stat(join(root, MARKER))).isFile()) return;
  } catch (error) {
    if (!hasCode(error, 'ENOENT', 'ENOTDIR')) throw unavailable(root, `cannot reach it (${codeOf(error)})`, error);
  }
  const rootIsFolder = await stat(root).then(
    (s) => s.isDirectory(),
    () => false,
  );
  throw rootIsFolder
    ? unavailable(root, `${MARKER} is missing: not a prepared archive, or the drive is not mounted`)
    : unavailable(root, 'the folder does not exist (drive not mounted?)');
}

/** Creates the root, its folders and the marker; writing the marker also proves the folder is writable. */
export async function prepareArchive(root: string): Promise<void> {
  try {
    await mkdir(root, { recursive: true });
    await makeDirsBelow(root, BLOBS);
    await makeDirsBelow(root, KEYS);
    await makeDirsBelow(root, TMP);
    const marker = join(root, MARKER);
    if ((await ifPresent(stat(marker)))?.isFile()) return; // prepared before: adding it again is fine
    // Temp + fsync + rename, like any object: a half-written marker must not pass for a prepared archive.
    const temp = join(root, TMP, `${randomUUID()}.part`);
    await writeDurably(temp, `${JSON.stringify({ format: 'lifeboat-plugin-archive', version: 1 })}\n`);
    await rename(temp, marker).catch(async (error: unknown) => {
      await unlink(temp).catch(() => {});
      throw error;
    });
    await fsyncDir(root);
  } catch (error) {
    if (error instanceof DestinationUnavailableError) throw error;
    throw unavailable(root, `cannot create the archive there (${codeOf(error)})`, error);
  }
}

/** The path or its closest existing ancestor: describe() reports the drive even before prepare(). */
export async function nearestExisting(path: string): Promise<{ path: string; dev: number }> {
  let current = path;
  while (true) {
    try {
      return { path: current, dev: (await stat(current)).dev };
    } catch (error) {
      const parent = dirname(current);
      if (!hasCode(error, 'ENOENT', 'ENOTDIR') || parent === current) throw error;
      current = parent;
    }
  }
}

function unavailable(root: string, why: string, cause?: unknown): DestinationUnavailableError {
  return new DestinationUnavailableError(`Archive ${root} is unavailable: ${why}`, {
    hint:
      'Mount the drive (read-write) and try again. If this is the right folder but it was never prepared, ' +
      'add the destination again so Lifeboat prepares it.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function codeOf(error: unknown): string {
  return errorCode(error) ?? String(error);
}
