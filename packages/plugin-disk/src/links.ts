import type { Dirent } from 'node:fs';
import { link, lstat, opendir, rmdir, symlink, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  AlreadyExistsError,
  classifyFsError,
  fsyncDir,
  hasCode,
  IntegrityError,
  type LinkKind,
  makeDirsBelow,
  NotFoundError,
  refuseLinkedFolders,
} from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { keyPath, prefixDirSegments, validateKey } from './key.js';

/**
 * Album views (plugin API 1.3): another name for a copy, never a second copy of its bytes. A hard link shares the
 * copy's inode; where the file system cannot make one (FAT and exFAT drives, some network shares, a link count at
 * its limit), a relative symbolic link, which keeps working when the drive is mounted elsewhere.
 */
export async function linkObject(root: string, targetKey: string, linkKey: string): Promise<LinkKind> {
  validateKey(targetKey);
  validateKey(linkKey);
  await requireReady(root);
  await refuseLinkedFolders(root, targetKey);
  await refuseLinkedFolders(root, linkKey);
  const target = keyPath(root, targetKey);
  const path = keyPath(root, linkKey);
  const context = { root, key: linkKey, path, action: 'write' } as const;
  const stats = await lstat(target).catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw classifyFsError(error, { ...context, key: targetKey, path: target, action: 'read' });
  });
  if (!stats?.isFile()) throw new NotFoundError(`No object at ${targetKey} in ${root} to link ${linkKey} to`);
  try {
    await makeDirsBelow(root, ...linkKey.split('/').slice(0, -1));
    let kind: LinkKind = 'hard';
    try {
      await link(target, path);
    } catch (error) {
      if (!hasCode(error, 'EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS')) throw error;
      await symlink(relative(dirname(path), target), path);
      kind = 'symbolic';
    }
    await fsyncDir(dirname(path));
    return kind;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) throw new AlreadyExistsError(`${linkKey} already exists in ${root}`);
    throw classifyFsError(error, context);
  }
}

/** Removes a name made by linkObject, and the album folders that leaves empty; never the last name of bytes. */
export async function unlinkObject(root: string, linkKey: string): Promise<void> {
  validateKey(linkKey);
  await requireReady(root);
  await refuseLinkedFolders(root, linkKey);
  const path = keyPath(root, linkKey);
  const stats = await lstat(path).catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw classifyFsError(error, { root, key: linkKey, path, action: 'delete' });
  });
  if (!stats) return;
  if (!stats.isSymbolicLink() && !(stats.isFile() && stats.nlink > 1)) {
    throw new IntegrityError(
      `${linkKey} in ${root} is not a link: its bytes exist under no other name, so it was kept`,
      {
        hint: 'Lifeboat never deletes a copy. Move that file out of the album folder yourself if it is not wanted there',
      },
    );
  }
  try {
    await unlink(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return;
    throw classifyFsError(error, { root, key: linkKey, path, action: 'delete' });
  }
  // Empty album folders go with their last photo (a folder that still holds anything stays).
  const segments = linkKey.split('/').slice(0, -1);
  for (let n = segments.length; n > 0; n--) {
    const removed = await rmdir(join(root, ...segments.slice(0, n))).then(
      () => true,
      () => false,
    );
    if (!removed) break;
  }
}

/** Names under `prefix` that are links: symbolic links, and files whose bytes have another name (hard links). */
export async function* listLinkKeys(root: string, prefix: string): AsyncGenerator<string> {
  const segments = prefixDirSegments(prefix);
  if (segments === undefined) return;
  await requireReady(root);
  yield* walkLinks(root, segments.join('/'), prefix);
}

async function* walkLinks(root: string, relDir: string, prefix: string): AsyncGenerator<string> {
  const absDir = relDir === '' ? root : join(root, ...relDir.split('/'));
  const entries: Dirent[] = [];
  try {
    for await (const entry of await opendir(absDir)) entries.push(entry);
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const key = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    if (entry.isDirectory()) {
      const folder = `${key}/`;
      if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* walkLinks(root, key, prefix);
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    if (entry.isSymbolicLink()) yield key;
    else if (entry.isFile()) {
      const names = (await lstat(join(absDir, entry.name)).catch(() => undefined))?.nlink;
      if (names !== undefined && names > 1) yield key;
    }
  }
}
