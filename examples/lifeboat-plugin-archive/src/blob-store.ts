import { constants, type FileHandle, open, rename } from 'node:fs/promises';
import { fsyncDir, hasCode, IntegrityError, makeDirsBelow } from '@lifeboat/plugin-api';
import { BLOBS, blobDir, blobPath } from './layout.js';

/** Read-only, refusing a symlink (ELOOP): the archive never creates one. Windows has no O_NOFOLLOW. */
const OPEN_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Puts a complete, fsynced temp file in place as blob `sha256`, by rename: atomic, and safe to race an
 * identical writer. When the blob is already there, rename replaces it with bytes that were just verified
 * (same name, same content), so there is still one copy: that is the deduplication, and backing a photo up
 * again heals a blob that rotted on the drive, for every key that shares it.
 */
export async function placeBlob(root: string, tempPath: string, sha256: string): Promise<void> {
  await makeDirsBelow(root, BLOBS, sha256.slice(0, 2));
  await rename(tempPath, blobPath(root, sha256));
  await fsyncDir(blobDir(root, sha256)); // the name must be durable before a record points at it
}

/** Opens the blob a record points to, checking it is whole: a missing or resized blob is damage, not absence. */
export async function openBlob(root: string, key: string, sha256: string, size: number): Promise<FileHandle> {
  const path = blobPath(root, sha256);
  let fh: FileHandle;
  try {
    fh = await open(path, OPEN_NO_FOLLOW);
  } catch (error) {
    if (!hasCode(error, 'ENOENT', 'ENOTDIR', 'ELOOP')) throw error;
    throw damaged(key, `its content ${path} is missing`, error);
  }
  const stats = await fh.stat();
  if (!stats.isFile() || stats.size !== size) {
    await fh.close();
    throw damaged(key, `its content ${path} has ${stats.size} bytes, not ${size}`);
  }
  return fh;
}

function damaged(key: string, why: string, cause?: unknown): IntegrityError {
  return new IntegrityError(`Archived object ${key} is damaged: ${why}`, {
    hint: 'Files were removed or changed outside Lifeboat, or the drive is failing: check the drive, then back up again',
    ...(cause === undefined ? {} : { cause }),
  });
}
