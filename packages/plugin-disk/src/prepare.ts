import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DestinationUnavailableError, errorCode } from '@lifeboat/plugin-api';
import { META_DIR, TEMP_DIR } from './key.js';

/**
 * Run once when the user adds the destination: the only place that creates the root and `.lifeboat/`. Then
 * proves the folder is writable by writing and deleting a probe file, so a read-only drive fails now, with a
 * clear message, not halfway through the first backup.
 */
export async function prepareRoot(root: string): Promise<void> {
  const tempDir = join(root, ...TEMP_DIR.split('/'));
  try {
    await mkdirs(tempDir);
  } catch (cause) {
    throw cannotWrite(root, cause, `cannot create ${join(root, META_DIR)}`);
  }
  const probe = join(tempDir, `probe-${randomUUID()}`);
  try {
    const fh = await open(probe, 'wx');
    try {
      await fh.write(Buffer.from('lifeboat write probe\n'));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(probe);
  } catch (cause) {
    await unlink(probe).catch(() => {});
    throw cannotWrite(root, cause, 'cannot write a test file');
  }
}

/**
 * `mkdir -p`, one level at a time from the nearest existing folder. Node's own recursive mkdir loops forever
 * where mkdir answers ENOENT for a path whose parent exists (pseudo-filesystems such as /proc).
 */
async function mkdirs(path: string): Promise<void> {
  const missing: string[] = [];
  let current = path;
  while ((await lstat(current).catch(() => undefined)) === undefined) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing) {
    try {
      await mkdir(dir);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
}

function cannotWrite(root: string, cause: unknown, what: string): DestinationUnavailableError {
  const code = errorCode(cause);
  const reason =
    code === 'EROFS'
      ? 'the drive is mounted read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file is in the way of the folder'
          : code === 'ENOSPC'
            ? 'the drive is full'
            : code === 'ENOENT'
              ? 'folders cannot be created at that location'
              : (code ?? String(cause));
  return new DestinationUnavailableError(`Cannot write to ${root}: ${what} (${reason})`, {
    hint: 'Choose a folder you can write to, on a drive mounted read-write, with free space',
    cause,
  });
}
