import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../errors/codes.js';

/** Resolves undefined instead of rejecting when the file is not there. */
export function ifPresent<T>(promise: Promise<T>): Promise<T | undefined> {
  return promise.catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) return undefined;
    throw error;
  });
}

/**
 * `mkdir -p` of folders below `root`, one level at a time and never the root itself: a drive that is not mounted
 * must fail the write (ENOENT), not get an empty copy of the destination created on the system disk. Returns
 * the folders it created, outermost first.
 */
export async function makeDirsBelow(root: string, ...segments: string[]): Promise<string[]> {
  const created: string[] = [];
  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    try {
      await mkdir(current);
      created.push(current);
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw error; // a file in the way surfaces as ENOTDIR one step later
    }
  }
  return created;
}

/** Makes a new or renamed entry's name durable. Some platforms cannot fsync a folder (Windows): there, rename is all. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch((error: unknown) => {
    if (hasCode(error, 'EISDIR', 'EPERM', 'EACCES')) return undefined;
    throw error;
  });
  try {
    await fh?.sync().catch((error: unknown) => {
      if (!hasCode(error, 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EBADF', 'EISDIR')) throw error;
    });
  } finally {
    await fh?.close();
  }
}

/** Writes a new file (never replacing one) and fsyncs it: what a later rename or link makes visible must be on the disk. */
export async function writeDurably(path: string, text: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
