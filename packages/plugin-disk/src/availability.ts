import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DestinationUnavailableError, errorCode, hasCode } from '@lifeboat/plugin-api';
import { META_DIR } from './key.js';

/**
 * A destination is ready when `<root>/.lifeboat/` exists. When a drive is not mounted its mount point is often
 * still there, empty: writing into it would fill the system disk, so nothing but `prepare()` creates either.
 */
export async function requireReady(root: string): Promise<void> {
  try {
    if ((await stat(join(root, META_DIR))).isDirectory()) return;
  } catch (error) {
    if (!hasCode(error, 'ENOENT', 'ENOTDIR')) throw unreachable(root, error);
  }
  throw await diagnoseMissing(root);
}

async function diagnoseMissing(root: string): Promise<DestinationUnavailableError> {
  const rootIsFolder = await stat(root).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!rootIsFolder) return rootMissing(root);
  return new DestinationUnavailableError(
    `${root} is not a prepared Lifeboat destination: ${join(root, META_DIR)} is missing (drive not mounted?)`,
    {
      hint:
        'If the drive is not mounted, this may be its empty mount point: mount the drive and try again. ' +
        'Otherwise re-add the destination (`lifeboat destination add`) to prepare this folder.',
    },
  );
}

export function rootMissing(root: string): DestinationUnavailableError {
  return new DestinationUnavailableError(`The destination folder ${root} does not exist (drive not mounted?)`, {
    hint: 'Plug in and mount the drive, then try again. If the backup moved, re-add the destination at its new path.',
  });
}

/** A permission or I/O problem reaching the root, as a clear DestinationUnavailableError. */
export function unreachable(root: string, cause: unknown): DestinationUnavailableError {
  return new DestinationUnavailableError(
    `Cannot access the destination folder ${root} (${errorCode(cause) ?? 'error'})`,
    {
      hint: 'Check that the drive is mounted and that your user may read and write this folder',
      cause,
    },
  );
}

/** The path itself, or its closest ancestor that exists (to describe a drive whose folder is not created yet). */
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
