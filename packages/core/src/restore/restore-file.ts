import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Destination } from '@lifeboat/plugin-api';
import {
  AlreadyExistsError,
  escapeInvalidUtf8,
  IntegrityError,
  InvalidKeyError,
  originalNameOf,
  tempOwnerTag,
} from '@lifeboat/plugin-api';
import type { IndexEntry } from '../dest-index/index.js';
import { makeDirs } from '../util/make-dirs.js';

/** The end of a restore's temp file names (beside their targets, hidden by a leading dot). */
export const RESTORE_TEMP_SUFFIX = '.lifeboat-restore';

/** Where a key lands under the restore folder; a key that would escape it is refused, not trusted. */
export function targetPath(root: string, key: string): string {
  const parts = key.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0') || p.includes('\\'))) {
    throw new InvalidKeyError(`Refusing to restore "${key}": not a safe relative path`);
  }
  const path = resolve(root, ...parts);
  if (!path.startsWith(resolve(root) + sep)) throw new InvalidKeyError(`Refusing to restore "${key}" outside ${root}`);
  return path;
}

async function sha256OfFile(path: string | Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * What one restore needs of a copy: an index entry, or (a store rclone wrote, no index) a listed object with
 * no sha256, whose size is still checked and whose bytes rclone crypt authenticates block by block. The capture
 * date (the restored file's time) and the sidecar come with an index entry only.
 */
export type RestoreItem = Pick<IndexEntry, 'key' | 'size' | 'assetId'> &
  Partial<Pick<IndexEntry, 'capturedAt' | 'timeZone' | 'sidecar'>> & { sha256?: string };

/**
 * Restores one copy: streams it to a temp file beside the target, checks size and sha256 against the index,
 * fsyncs, then links it into place. A file already there with the same content counts as restored; one with
 * different content is never overwritten.
 */
export async function restoreFile(
  destination: Destination,
  entry: RestoreItem,
  root: string,
  signal: AbortSignal,
  /** The file's modification time (a photo's capture instant), set before the file appears under its name. */
  modifiedAt?: Date,
): Promise<'restored' | 'present'> {
  const safeTarget = targetPath(root, entry.key);
  // A file backed up from a name that was not valid UTF-8 gets its own name back (its bytes are in the index).
  const original = originalNameOf(entry.assetId, entry.key);
  const target = original ? Buffer.concat([Buffer.from(dirname(safeTarget) + sep), original]) : safeTarget;
  const existing = await stat(target).catch(() => undefined);
  if (existing) {
    if (existing.size === entry.size && (entry.sha256 === undefined || (await sha256OfFile(target)) === entry.sha256)) {
      return 'present';
    }
    throw new AlreadyExistsError(
      `${original ? join(dirname(safeTarget), escapeInvalidUtf8(original)) : safeTarget} already exists with different content; it was left as it is`,
      {
        hint: 'Restore into an empty folder, or move that file away first',
      },
    );
  }
  await makeDirs(dirname(safeTarget));
  const temp = join(dirname(safeTarget), `.${tempOwnerTag()}${randomBytes(6).toString('hex')}${RESTORE_TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await destination.read(entry.key, { signal })) {
      hash.update(chunk);
      size += chunk.length;
      await handle.write(chunk);
    }
    const sha256 = hash.digest('hex');
    if (size !== entry.size || (entry.sha256 !== undefined && sha256 !== entry.sha256)) {
      throw new IntegrityError(
        `The copy of ${entry.key} on the destination is damaged (${size} bytes, sha256 ${sha256.slice(0, 12)}…; the index says ${entry.size} bytes, ${entry.sha256?.slice(0, 12) ?? 'no sha256'}…)`,
        { hint: 'Restore this file from another destination' },
      );
    }
    if (modifiedAt) await handle.utimes(modifiedAt, modifiedAt);
    await handle.sync();
    await handle.close();
    await link(temp, target).catch(async (error: unknown) => {
      // A file system that only takes UTF-8 names (EILSEQ): the safe name it was backed up under.
      if (!original || !['EILSEQ', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await link(temp, safeTarget);
    }); // link fails rather than overwrite a file that appeared meanwhile
    return 'restored';
  } finally {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
  }
}
