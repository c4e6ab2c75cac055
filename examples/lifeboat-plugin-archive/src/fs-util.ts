import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

/** Node's system errors carry their kind only in `code` (`ENOENT`). */
export function errnoCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errnoCode(error);
  return code !== undefined && codes.includes(code);
}

/** Resolves undefined instead of rejecting when the file is not there. */
export function ifPresent<T>(promise: Promise<T>): Promise<T | undefined> {
  return promise.catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR')) return undefined;
    throw error;
  });
}

/**
 * `mkdir -p` of folders below the root, one level at a time and never the root itself: a drive that is not
 * mounted must fail the write (ENOENT), not get an empty archive created on the system disk.
 */
export async function ensureDirs(root: string, ...segments: string[]): Promise<void> {
  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    await mkdir(current).catch((error: unknown) => {
      if (!hasCode(error, 'EEXIST')) throw error;
    });
  }
}

/** Makes a new or renamed entry's name durable. Some platforms cannot fsync a folder: there, rename is all. */
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

/** Writes a new file and fsyncs it: what a later rename or link makes visible must already be on the disk. */
export async function writeDurably(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
