import { link, lstat, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AlreadyExistsError, InvalidKeyError } from '../../errors/classes.js';
import { hasCode } from '../../errors/codes.js';
import { fsyncDir, makeDirsBelow } from './durable.js';
import { refuseLinkedFolders } from './linked-folders.js';

/** What a destination learns about its file system: whether it supports hard links (FAT and exFAT do not). */
export interface CommitState {
  hardLinks?: boolean;
}

export interface CommitRequest {
  /** The destination's folder: parents of the key are created below it, never it. */
  root: string;
  key: string;
  /** A complete, fsynced file (see `receiveToFile`). */
  tempPath: string;
  /** Where the key's file goes: `root` joined with the key's segments. */
  finalPath: string;
  overwrite: boolean;
  /** Called when the root turned out to be gone (a drive unplugged mid-run): throw the explanation. */
  rootMissing?: () => Promise<void>;
}

/** Final paths being committed without hard links in this process: the second writer of a key must lose. */
const committing = new Set<string>();

/**
 * Makes a complete, fsynced temp file visible under its final name in one atomic step, then fsyncs the folder
 * so the new name survives a power cut. Overwrite: `rename` (replaces atomically). Otherwise `link`, which
 * fails with EEXIST rather than replacing. Parent folders are created on demand, never the root.
 */
export async function commitFile(request: CommitRequest, state: CommitState): Promise<void> {
  let created: string[] = [];
  try {
    await refuseLinkedFolders(request.root, request.key);
    await place(request, state);
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw mapPlaceError(error, request.key);
    created = await makeParents(request);
    await refuseLinkedFolders(request.root, request.key); // a folder made a link meanwhile
    await place(request, state).catch((retryError: unknown) => {
      throw mapPlaceError(retryError, request.key);
    });
  }
  // A new folder's own name lives in its parent: fsync those too, deepest last.
  for (const dir of created) await fsyncDir(dirname(dir));
  await fsyncDir(dirname(request.finalPath));
}

async function place(request: CommitRequest, state: CommitState): Promise<void> {
  const { tempPath, finalPath, key } = request;
  if (request.overwrite) return rename(tempPath, finalPath);
  if (state.hardLinks !== false) {
    try {
      await link(tempPath, finalPath);
      state.hardLinks = true;
      await unlink(tempPath).catch(() => {}); // the object is complete either way; a leftover is cleaned later
      return;
    } catch (error) {
      if (hasCode(error, 'EEXIST')) throw await existingError(finalPath, key);
      const unsupported = hasCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS');
      if (state.hardLinks === true || !unsupported) throw error;
      state.hardLinks = false;
    }
  }
  // No hard links on this file system: check, then rename. Safe against writers in this process (the set)
  // and against any earlier write; two processes writing the same key at once could race (core's run lock
  // prevents that).
  if (committing.has(finalPath)) throw new AlreadyExistsError(`An object is already being written at ${key}`);
  committing.add(finalPath);
  try {
    const existing = await lstat(finalPath).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (existing) throw await existingError(finalPath, key);
    await rename(tempPath, finalPath);
  } finally {
    committing.delete(finalPath);
  }
}

async function existingError(finalPath: string, key: string): Promise<Error> {
  const isFolder = await lstat(finalPath).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isFolder
    ? new InvalidKeyError(`Key "${key}" names a folder of the destination, not a file`)
    : new AlreadyExistsError(`An object already exists at ${key}`, { hint: 'Write it with overwrite to replace it' });
}

function mapPlaceError(error: unknown, key: string): unknown {
  if (hasCode(error, 'ENOTDIR')) {
    return new InvalidKeyError(`Key "${key}" passes through a file of the destination as if it were a folder`, {
      cause: error,
    });
  }
  if (hasCode(error, 'EISDIR', 'ENOTEMPTY')) {
    return new InvalidKeyError(`Key "${key}" names a folder of the destination, not a file`, { cause: error });
  }
  return error;
}

/** The key's folders below the root, created one level at a time so a vanished root is never recreated. */
async function makeParents(request: CommitRequest): Promise<string[]> {
  try {
    return await makeDirsBelow(request.root, ...request.key.split('/').slice(0, -1));
  } catch (error) {
    if (hasCode(error, 'ENOENT')) await request.rootMissing?.(); // the root vanished: say so
    throw mapPlaceError(error, request.key);
  }
}
