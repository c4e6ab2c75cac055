import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsPath } from './raw-names.js';

/** What was last known of a file: its size and time, the version reported for it, and its sha256 once read. */
interface Known {
  size: number;
  mtimeMs: number;
  version: string;
  sha256?: string;
}

/**
 * Remembers each file's sha256 (learnt while a backup reads it), so a file whose time changed but whose bytes did
 * not (`touch`, a sync tool, a restore from another backup) keeps its version and is not copied again; and, with
 * `checksum`, so a change that kept size and time (rclone's --checksum case) gets a new version. Kept in the
 * plugin's storage folder, one file per source folder; losing it only costs one extra copy of touched files.
 */
export class ContentCache {
  private known = new Map<string, Known>();
  private dirty = false;

  private constructor(private readonly file: string | undefined) {}

  static async open(storageDir: string | undefined, root: string): Promise<ContentCache> {
    if (!storageDir) return new ContentCache(undefined);
    const name = createHash('sha256').update(root).digest('hex').slice(0, 32);
    const cache = new ContentCache(join(storageDir, 'folder-content', `${name}.json`));
    try {
      const parsed = JSON.parse(await readFile(cache.file!, 'utf8')) as Record<string, Known>;
      cache.known = new Map(Object.entries(parsed));
    } catch {
      // none yet, or unreadable: start afresh (it only saves copies)
    }
    return cache;
  }

  /**
   * The version to report for a file: the one already known when size and bytes are the same (time alone changed),
   * otherwise a new one. Reads the file only when the time changed (or `checksum` asks) and a sha256 is known.
   */
  async versionOf(id: string, path: FsPath, size: number, mtimeMs: number, checksum: boolean): Promise<string> {
    const fresh = `${size}-${Math.trunc(mtimeMs)}`;
    const known = this.known.get(id);
    if (!known || known.size !== size) return this.remember(id, { size, mtimeMs, version: fresh });
    const sameTime = known.mtimeMs === mtimeMs;
    if (sameTime && !checksum) return known.version;
    if (!known.sha256) return sameTime ? known.version : this.remember(id, { size, mtimeMs, version: fresh });
    const sha256 = await sha256Of(path);
    if (sha256 === known.sha256) return this.remember(id, { ...known, mtimeMs }); // touched, same bytes
    // Same size, other bytes: a version no earlier listing reported, even when the time was kept.
    return this.remember(id, { size, mtimeMs, version: `${fresh}-${sha256.slice(0, 16)}` });
  }

  /** The sha256 of a version, learnt by reading it whole (a backup's read). */
  learn(id: string, version: string, sha256: string): void {
    const known = this.known.get(id);
    if (known?.version !== version || known.sha256 === sha256) return;
    this.remember(id, { ...known, sha256 });
  }

  private remember(id: string, value: Known): string {
    this.known.set(id, value);
    this.dirty = true;
    return value.version;
  }

  /** Writes the cache (atomically: a temp file renamed over it). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    await mkdir(join(this.file, '..'), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(Object.fromEntries(this.known)));
    await rename(temp, this.file);
  }
}

function sha256Of(path: FsPath): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
