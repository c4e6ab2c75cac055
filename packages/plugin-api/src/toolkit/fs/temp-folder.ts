import { randomUUID } from 'node:crypto';
import { mkdir, opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../errors/codes.js';
import { tempOwner, tempOwnerTag, UNKNOWN_OWNER_STALE_MS } from './temp-owner.js';

/** Temp files of writes running in this process, which a cleanup must not remove from under them. */
const inFlight = new Set<string>();

/**
 * The temp folder of a file-backed destination: put it on the same file system as the objects (so the final
 * rename or link is atomic) and where `list` never looks, so a half-written file is never seen as an object.
 */
export class TempFolder {
  constructor(readonly dir: string) {}

  /**
   * A fresh temp path (`<pid>@<host>~<uuid>.part`: named after its owner, see temp-owner). Creates the temp folder itself, never its parent: when the parent is
   * missing (a drive not mounted) this rejects with ENOENT instead of filling the system disk.
   */
  async reserve(): Promise<string> {
    try {
      await mkdir(this.dir);
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw error;
    }
    const path = join(this.dir, `${tempOwnerTag()}${randomUUID()}.part`);
    inFlight.add(path);
    return path;
  }

  /** Forgets a temp path once its write is over (committed or not). */
  release(path: string): void {
    inFlight.delete(path);
  }

  /** Removes a temp file if it is still there (already renamed away is fine), and forgets it. */
  async discard(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
    } finally {
      inFlight.delete(path);
    }
  }

  /**
   * Removes temp files left by interrupted writes (a crash, a kill, a drive pulled out), never one a live process
   * is writing: those of writes in progress here, those whose owner (named in the file) still runs on this host
   * (another plan's run sharing the destination), and those of an owner that cannot be asked (another host, an
   * older version) until they are an hour old. Returns how many files were removed.
   */
  async cleanup(olderThanMs = 0): Promise<number> {
    let removed = 0;
    try {
      for await (const entry of await opendir(this.dir)) {
        const path = join(this.dir, entry.name);
        if (!entry.isFile() || inFlight.has(path)) continue;
        const owner = tempOwner(entry.name);
        if (owner === 'alive') continue;
        if (owner === 'unknown' && !(await isOlderThan(path, Math.max(olderThanMs, UNKNOWN_OWNER_STALE_MS)))) {
          continue;
        }
        if (olderThanMs > 0 && !(await isOlderThan(path, olderThanMs))) continue;
        try {
          await unlink(path);
          removed++;
        } catch (error) {
          if (!hasCode(error, 'ENOENT')) throw error;
        }
      }
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return removed; // no temp folder: nothing to clean
      throw error;
    }
    return removed;
  }
}

async function isOlderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs >= ms;
  } catch {
    return false;
  }
}
