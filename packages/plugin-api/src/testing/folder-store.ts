import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { tempOwnerTag } from '../toolkit/fs/temp-owner.js';
import type { StoreAccess } from './suite-context.js';

/**
 * Store access for a destination that keeps its objects as files under `root`, with temp files in `tempDir`
 * (relative to the root, `/`-separated): what the kit needs to check leftovers and a vanished root.
 */
export function folderStore(root: string, tempDir: string): StoreAccess {
  return {
    async contents() {
      const files = await readdir(root, { recursive: true, withFileTypes: true });
      return files
        .filter((f) => f.isFile())
        .map((f) => relative(root, join(f.parentPath, f.name)).split(sep).join('/'));
    },
    async plantLeftover() {
      const dir = join(root, ...tempDir.split('/'));
      await mkdir(dir, { recursive: true });
      // What a killed write left half-written: temp files name their owner, and this one's process has ended.
      const owner = tempOwnerTag().replace(/^\d+/, String(spawnSync('true').pid));
      await writeFile(join(dir, `${owner}${randomUUID()}.part`), randomUUID());
    },
    removeRoot: () => rm(root, { recursive: true, force: true }),
    rootExists: async () => existsSync(root),
  };
}
