import { lstatSync, mkdirSync, type Stats, statSync } from 'node:fs';
import { lstat, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/*
 * `mkdir -p`, one level at a time from the nearest existing folder. Node's own `{ recursive: true }` loops forever
 * (at 100% CPU, deaf to SIGTERM) where mkdir answers ENOENT under an existing parent, as pseudo-filesystems such
 * as /proc do; here that case fails at once with the ENOENT.
 */

function missingLevels(path: string, exists: (p: string) => boolean): string[] {
  const missing: string[] = [];
  let current = path;
  while (!exists(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing;
}

const isEexist = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';

// Like `mkdir -p`, a path that exists but is not a folder (a regular file) is an error, not success.
function checkIsDirectory(path: string, stats: Stats): void {
  if (stats.isDirectory()) return;
  throw Object.assign(new Error(`EEXIST: file already exists and is not a directory, mkdir '${path}'`), {
    code: 'EEXIST',
    syscall: 'mkdir',
    path,
  });
}

export async function makeDirs(path: string, mode?: number): Promise<void> {
  const levels: string[] = [];
  let current = path;
  while (
    !(await lstat(current).then(
      () => true,
      () => false,
    ))
  ) {
    levels.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of levels) {
    await mkdir(dir, mode === undefined ? undefined : { mode }).catch((error: unknown) => {
      if (!isEexist(error)) throw error;
    });
  }
  checkIsDirectory(path, await stat(path));
}

export function makeDirsSync(path: string, mode?: number): void {
  const exists = (p: string) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  for (const dir of missingLevels(path, exists)) {
    try {
      mkdirSync(dir, mode === undefined ? undefined : { mode });
    } catch (error) {
      if (!isEexist(error)) throw error;
    }
  }
  checkIsDirectory(path, statSync(path));
}
