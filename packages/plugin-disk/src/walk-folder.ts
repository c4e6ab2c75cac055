import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode, isValidUtf8, LifeboatError, SourceUnavailableError } from '@lifeboat/plugin-api';
import { extensionOf } from './media-types.js';
import { childPath, type FsPath, safeName } from './raw-names.js';

export interface WalkOptions {
  followSymlinks: boolean;
  /** Lowercase extensions without the dot. */
  include: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface WalkedFile {
  /** Path relative to the root, `/`-separated; names that are not valid UTF-8 in their safe form (see raw-names). */
  relativePath: string;
  /** The relative path's bytes, when a name on it is not valid UTF-8. */
  rawRelativePath?: Buffer;
  absolutePath: FsPath;
  extension: string;
  stats: Stats;
}

/**
 * Streams the matching files under `root`, depth first, in code-point order of names within each folder (so
 * listings are stable). Holds one folder's names at a time, never the whole tree. Hidden entries (`.name`) are
 * skipped. A file or folder that vanishes mid-walk is skipped. A sub-folder that cannot be read does not stop
 * the walk: everything else is still listed (and backed up), then the walk throws naming each such folder, so
 * the listing counts as incomplete and nothing in those folders is taken for deleted.
 */
export async function* walkFolder(root: string, options: WalkOptions): AsyncGenerator<WalkedFile> {
  const rootStats = await statRoot(root);
  const visited = new Set<string>([dirId(rootStats)]);
  const unreadable: Unreadable[] = [];
  yield* walkDir(root, { rel: '' }, options, visited, unreadable);
  if (unreadable.length > 0) throw unreadableFolders(root, unreadable);
}

interface Unreadable {
  path: string;
  reason: string;
}

function unreadableFolders(root: string, unreadable: Unreadable[]): LifeboatError {
  const shown = unreadable.slice(0, 10).map((u) => `${u.path} (${u.reason})`);
  const more = unreadable.length > shown.length ? `, and ${unreadable.length - shown.length} more` : '';
  return new LifeboatError(
    'LIFEBOAT_SOURCE_PARTIAL',
    `${unreadable.length === 1 ? 'A folder' : `${unreadable.length} folders`} in ${root} could not be read: ${shown.join(', ')}${more}. Everything else was listed; nothing in ${unreadable.length === 1 ? 'it' : 'them'} was backed up or taken for deleted`,
    {
      hint: 'Give Lifeboat permission to read it (e.g. chmod/chown, or run as the owner), or move it out of the source folder, then run again',
    },
  );
}

async function statRoot(root: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(root);
  } catch (cause) {
    if (hasCode(cause, 'ENOENT', 'ENOTDIR')) {
      throw new SourceUnavailableError(`The folder ${root} does not exist`, {
        hint: 'If it is on an external drive or network share, connect it; otherwise fix the path in the source settings',
        cause,
      });
    }
    throw new SourceUnavailableError(`Cannot read the folder ${root}`, {
      hint: 'Check that you have permission to read it',
      cause,
    });
  }
  if (!stats.isDirectory()) {
    throw new SourceUnavailableError(`${root} is not a folder`, {
      hint: 'Point the source at the folder holding the photos',
    });
  }
  return stats;
}

/** Where a folder is, relative to the root: its safe path, and its bytes once a name on the way is not UTF-8. */
interface RelDir {
  rel: string;
  raw?: Buffer;
}

async function* walkDir(
  absDir: FsPath,
  relDir: RelDir,
  options: WalkOptions,
  visited: Set<string>,
  unreadable: Unreadable[],
): AsyncGenerator<WalkedFile> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await readEntries(absDir);
  } catch (error) {
    if (relDir.rel === '') throw error; // the source folder itself: nothing can be listed
    const code = (error as { cause?: { code?: string } }).cause?.code;
    unreadable.push({
      path: typeof absDir === 'string' ? absDir : safeName(absDir),
      reason: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unreadable'),
    });
    return;
  }
  for (const entry of entries) {
    options.signal?.throwIfAborted();
    if (entry.name[0] === 0x2e) continue; // hidden: `.name`
    const valid = isValidUtf8(entry.name);
    const name = valid ? entry.name.toString('utf8') : safeName(entry.name);
    const absolutePath = childPath(absDir, entry.name, valid, join);
    const relativePath = relDir.rel === '' ? name : `${relDir.rel}/${name}`;
    const rawParent = relDir.raw ?? (valid ? undefined : Buffer.from(relDir.rel));
    const raw =
      rawParent && (rawParent.length === 0 ? entry.name : Buffer.concat([rawParent, Buffer.from('/'), entry.name]));
    const kind = await kindOf(entry, absolutePath, options.followSymlinks);
    if (kind === undefined) continue;
    if (kind.type === 'dir') {
      if (kind.stats) {
        // Following symlinks can reach a folder twice (or loop): walk each folder once.
        if (visited.has(dirId(kind.stats))) continue;
        visited.add(dirId(kind.stats));
      }
      yield* walkDir(absolutePath, { rel: relativePath, ...(raw ? { raw } : {}) }, options, visited, unreadable);
      continue;
    }
    const extension = extensionOf(name);
    if (!options.include.has(extension)) continue;
    const stats = kind.stats ?? (await statIfPresent(absolutePath, stat));
    if (stats?.isFile())
      yield { relativePath, ...(raw ? { rawRelativePath: raw } : {}), absolutePath, extension, stats };
  }
}

/** `stats` is known for folders only when following symlinks (to detect folders seen before). */
type Kind = { type: 'dir'; stats?: Stats } | { type: 'file'; stats?: Stats };

/** Classifies an entry, following a symlink only when asked. Undefined: skip it. */
async function kindOf(entry: Dirent<Buffer>, path: FsPath, followSymlinks: boolean): Promise<Kind | undefined> {
  if (entry.isFile()) return { type: 'file' };
  if (entry.isDirectory()) {
    if (!followSymlinks) return { type: 'dir' };
    const stats = await statIfPresent(path, stat);
    return stats && { type: 'dir', stats };
  }
  let isLink = entry.isSymbolicLink();
  if (!isLink && !isUnknownType(entry)) return undefined; // sockets, FIFOs, devices
  if (!isLink) {
    // Some file systems do not report entry types (DT_UNKNOWN): ask the file system.
    const own = await statIfPresent(path, lstat);
    if (!own) return undefined;
    isLink = own.isSymbolicLink();
    if (!isLink) return kindFromStats(own);
  }
  if (!followSymlinks) return undefined;
  const target = await statIfPresent(path, stat);
  return target && kindFromStats(target);
}

function kindFromStats(stats: Stats): Kind | undefined {
  if (stats.isDirectory()) return { type: 'dir', stats };
  return stats.isFile() ? { type: 'file', stats } : undefined;
}

function isUnknownType(entry: Dirent<Buffer>): boolean {
  return (
    !entry.isFile() &&
    !entry.isDirectory() &&
    !entry.isSymbolicLink() &&
    !entry.isFIFO() &&
    !entry.isSocket() &&
    !entry.isBlockDevice() &&
    !entry.isCharacterDevice()
  );
}

/** One folder's entries, names as bytes (a name that is not valid UTF-8 would otherwise be lost). */
async function readEntries(absDir: FsPath): Promise<Dirent<Buffer>[]> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await readdir(absDir, { withFileTypes: true, encoding: 'buffer' });
  } catch (cause) {
    if (hasCode(cause, 'ENOENT', 'ENOTDIR')) return []; // removed while we walked
    throw new SourceUnavailableError(
      `Cannot read the folder ${typeof absDir === 'string' ? absDir : safeName(absDir)}`,
      {
        hint: 'Check that you have permission to read it, or move it out of the source folder',
        cause,
      },
    );
  }
  return entries.sort((a, b) => Buffer.compare(a.name, b.name));
}

async function statIfPresent(path: FsPath, statFn: (path: FsPath) => Promise<Stats>): Promise<Stats | undefined> {
  try {
    return await statFn(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT', 'ENOTDIR', 'ELOOP')) return undefined; // vanished, or a dangling/looping link
    throw error;
  }
}

function dirId(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}
