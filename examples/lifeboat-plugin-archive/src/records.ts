import { link, lstat, readFile, rename } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  AlreadyExistsError,
  fsyncDir,
  hasCode,
  IntegrityError,
  ifPresent,
  makeDirsBelow,
  type ObjectInfo,
  writeDurably,
} from '@lifeboat/plugin-api';
import { KEYS, recordPath, SHA256_HEX, sha256Of, tempFolder } from './layout.js';

/** What `keys/<h[0:2]>/<h>.json` holds: enough to stat and list without touching the blob. */
export interface KeyRecord {
  key: string;
  sha256: string;
  size: number;
  modifiedAt: string;
}

export const infoOf = ({ key, size, sha256, modifiedAt }: KeyRecord): ObjectInfo => ({ key, size, sha256, modifiedAt });

/** Whether this file system has hard links (FAT and exFAT do not); learned on the first commit. */
export interface LinkState {
  hardLinks?: boolean;
}

/** Record paths being committed by rename in this process, when there are no hard links to refuse a second. */
const committing = new Set<string>();

/** Reads the record of `key`; undefined when there is none. */
export async function readRecord(root: string, key: string): Promise<KeyRecord | undefined> {
  const path = recordPath(root, key);
  const text = await ifPresent(readFile(path, 'utf8'));
  return text === undefined ? undefined : parseRecord(text, path, key);
}

/** Parses a record file, checking it belongs where it lies: a record under another name would list twice. */
export function parseRecord(text: string, path: string, expectedKey?: string): KeyRecord {
  let r: Partial<KeyRecord> | undefined;
  try {
    r = JSON.parse(text) as Partial<KeyRecord>;
  } catch {}
  const valid =
    typeof r?.key === 'string' &&
    typeof r.sha256 === 'string' &&
    SHA256_HEX.test(r.sha256) &&
    Number.isSafeInteger(r.size) &&
    (r.size ?? -1) >= 0 &&
    typeof r.modifiedAt === 'string' &&
    basename(path) === `${sha256Of(r.key)}.json` &&
    (expectedKey === undefined || r.key === expectedKey);
  if (!valid) {
    throw new IntegrityError(`Archive record ${path} is damaged`, {
      hint: 'It was edited or moved outside Lifeboat, or the drive is failing: check the drive',
    });
  }
  return r as KeyRecord;
}

/**
 * Makes `record` the object under its key, atomically: temp file, fsync, then rename (overwrite) or link
 * (no overwrite: link fails with EEXIST instead of replacing, so of two racing writers exactly one wins).
 */
export async function commitRecord(root: string, record: KeyRecord, overwrite: boolean, state: LinkState) {
  const finalPath = recordPath(root, record.key);
  const tempPath = await tempFolder(root).reserve();
  try {
    await writeDurably(tempPath, `${JSON.stringify(record)}\n`);
    await makeDirsBelow(root, KEYS, basename(dirname(finalPath)));
    if (overwrite) await rename(tempPath, finalPath);
    else await linkNoReplace(tempPath, finalPath, record.key, state);
    await fsyncDir(dirname(finalPath));
  } finally {
    await tempFolder(root)
      .discard(tempPath)
      .catch(() => {}); // a leftover is harmless: recover() removes it
  }
}

async function linkNoReplace(tempPath: string, finalPath: string, key: string, state: LinkState): Promise<void> {
  if (state.hardLinks !== false) {
    try {
      await link(tempPath, finalPath);
      state.hardLinks = true;
      return;
    } catch (error) {
      if (hasCode(error, 'EEXIST')) throw exists(key);
      const unsupported = hasCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS');
      if (state.hardLinks === true || !unsupported) throw error;
      state.hardLinks = false;
    }
  }
  // No hard links: check, then rename. Safe within this process (the set); two processes writing one key at
  // once could both succeed, which Lifeboat's run lock rules out.
  if (committing.has(finalPath)) throw exists(key);
  committing.add(finalPath);
  try {
    if (await ifPresent(lstat(finalPath))) throw exists(key);
    await rename(tempPath, finalPath);
  } finally {
    committing.delete(finalPath);
  }
}

export function exists(key: string): AlreadyExistsError {
  return new AlreadyExistsError(`An object already exists at ${key}`, {
    hint: 'Write it with overwrite to replace it',
  });
}
