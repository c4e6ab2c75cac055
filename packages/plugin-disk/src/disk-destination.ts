import { constants, type FileHandle, lstat, open, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommitState,
  classifyFsError,
  DEFAULT_LAYOUT,
  type Destination,
  type DestinationDescription,
  type DestinationFactory,
  hasCode,
  type InstanceContext,
  InvalidKeyError,
  type LinkKind,
  NotFoundError,
  type ObjectInfo,
  type ReadOptions,
  refuseLinkedFolders,
  type Settings,
  TempFolder,
  type WriteOptions,
} from '@lifeboat/plugin-api';
import { writeObject } from './atomic-write.js';
import { nearestExisting } from './availability.js';
import { keyPath, TEMP_DIR, validateKey } from './key.js';
import { linkObject, listLinkKeys, unlinkObject } from './links.js';
import { listObjects } from './list-objects.js';
import { prepareRoot } from './prepare.js';
import { type DiskDestinationOptions, diskDestinationOptions } from './settings.js';

const READ_CHUNK = 1024 * 1024;
/** Read-only, refusing a symlink (ELOOP), as `stat` and `list` ignore them. Windows has no O_NOFOLLOW. */
const OPEN_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Copies as plain files in a folder on any mounted drive: keys are relative paths under the root. See
 * `atomic-write.ts` for how writes keep the Destination guarantees, and `availability.ts` for why nothing but
 * `prepare()` creates the root.
 */
export class DiskDestination implements Destination {
  readonly root: string;
  private readonly options: DiskDestinationOptions;
  private readonly commitState: CommitState = {};
  private readonly temp: TempFolder;

  constructor(options: DiskDestinationOptions) {
    this.root = options.root;
    this.options = options;
    this.temp = new TempFolder(join(this.root, ...TEMP_DIR.split('/')));
  }

  async describe(): Promise<DestinationDescription> {
    // The folder may not exist yet (or the drive is out): describe the drive that would hold it.
    const existing = await nearestExisting(this.root);
    const { bavail, bsize } = await statfs(existing.path);
    return {
      location: this.root,
      medium: this.options.medium ?? `disk:${existing.dev}`,
      mediumKind: 'disk',
      offsite: this.options.offsite ?? false,
      freeBytes: bavail * bsize,
      layout: this.options.layout ?? DEFAULT_LAYOUT,
      ...(this.options.albumView ? { albumView: true } : {}),
    };
  }

  async prepare(): Promise<void> {
    await prepareRoot(this.root);
  }

  /** Removes temp files that interrupted writes left (core calls it at the start of a run, before any write). */
  async recover(): Promise<void> {
    await this.cleanupTemp();
  }

  /**
   * Removes temp files in `<root>/.lifeboat/tmp/` older than `olderThanMs`, except those of writes in progress in
   * this process. Call it under core's run lock: another process's write in progress would lose its temp file.
   */
  cleanupTemp(olderThanMs = 0): Promise<number> {
    return this.temp.cleanup(olderThanMs);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(key);
    // Behind a linked folder is outside the destination: no object there (list does not follow links either).
    if (await passesThroughLink(this.root, key)) return undefined;
    try {
      // lstat, like list: a symlink is not an object (the destination never creates one).
      const stats = await lstat(path);
      return stats.isFile() ? { key, size: stats.size, modifiedAt: stats.mtime.toISOString() } : undefined;
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw classifyFsError(error, { root: this.root, key, path, action: 'read' });
    }
  }

  write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    return writeObject(this.root, this.temp, this.commitState, key, body, options);
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const path = this.pathOf(key);
    const { offset = 0, length, signal } = options;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Invalid read offset ${offset}`);
    if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
      throw new RangeError(`Invalid read length ${length}`);
    }
    signal?.throwIfAborted();
    await refuseLinkedFolders(this.root, key);
    // Open now, so a missing key rejects here with NotFoundError rather than later, mid-stream.
    const fh = await this.openObject(key, path);
    if (length === 0) {
      await fh.close();
      return emptyBody();
    }
    const end = length === undefined ? undefined : offset + length - 1; // `end` is inclusive
    const stream = fh.createReadStream({ start: offset, end, highWaterMark: READ_CHUNK, signal });
    // An abort before anyone reads (a stop) emits 'error' on a stream nobody listens to yet, which would end the
    // process; the reader still gets the error from the iterator.
    stream.on('error', () => {});
    return stream;
  }

  list(prefix = ''): AsyncIterable<ObjectInfo> {
    return listObjects(this.root, prefix);
  }

  /** Idempotent: deleting a missing key is not an error. Leaves emptied folders in place (harmless). */
  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await refuseLinkedFolders(this.root, key);
    try {
      await unlink(path);
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return;
      // A folder is not an object (unlink reports EISDIR on Linux, EPERM on macOS).
      if (hasCode(error, 'EISDIR', 'EPERM') && (await isFolder(path))) return;
      throw classifyFsError(error, { root: this.root, key, path, action: 'delete' });
    }
  }

  /** Album views: see links.ts. */
  link(targetKey: string, linkKey: string): Promise<LinkKind> {
    return linkObject(this.root, targetKey, linkKey);
  }

  unlink(linkKey: string): Promise<void> {
    return unlinkObject(this.root, linkKey);
  }

  listLinks(prefix: string): AsyncIterable<string> {
    return listLinkKeys(this.root, prefix);
  }

  private pathOf(key: string): string {
    validateKey(key);
    return keyPath(this.root, key);
  }

  private async openObject(key: string, path: string): Promise<FileHandle> {
    let fh: FileHandle;
    try {
      fh = await open(path, OPEN_NO_FOLLOW);
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP')) {
        throw new NotFoundError(`No object at ${key} in ${this.root}`, { cause: error });
      }
      throw classifyFsError(error, { root: this.root, key, path, action: 'read' });
    }
    if (!(await fh.stat()).isFile()) {
      await fh.close();
      throw new NotFoundError(`No object at ${key} in ${this.root} (it is a folder)`);
    }
    return fh;
  }
}

function passesThroughLink(root: string, key: string): Promise<boolean> {
  return refuseLinkedFolders(root, key).then(
    () => false,
    (error: unknown) => {
      if (error instanceof InvalidKeyError) return true;
      throw error;
    },
  );
}

function isFolder(path: string): Promise<boolean> {
  return lstat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

export const DiskDestinationFactory: DestinationFactory = {
  create(settings: Settings, _context: InstanceContext): Destination {
    return new DiskDestination(diskDestinationOptions(settings));
  },
};
