import { statfs, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  classifyFsError,
  DEFAULT_LAYOUT,
  type Destination,
  type DestinationDescription,
  fsyncDir,
  hasCode,
  NotFoundError,
  type ObjectInfo,
  type ReadOptions,
  type WriteOptions,
} from '@lifeboat/plugin-api';
import { nearestExisting, prepareArchive, requireReady } from './availability.js';
import { openBlob } from './blob-store.js';
import { WriteGate } from './gate.js';
import { collectGarbage, type GcResult } from './gc.js';
import { recordPath, tempFolder } from './layout.js';
import { listRecords } from './list-records.js';
import { infoOf, type LinkState, readRecord } from './records.js';
import type { ArchiveOptions } from './settings.js';
import { writeObject } from './write-object.js';

const READ_CHUNK = 1024 * 1024;

/**
 * A content-addressed, deduplicating archive in a folder (layout in `layout.ts`): identical bodies are stored
 * once, whatever keys they are written under. Keeps every guarantee of the Destination contract; see
 * `write-object.ts` for how writes stay atomic. Keys arrive checked (the host applies the API's key rules). Unreferenced blobs stay until `gc()` is called.
 */
export class ArchiveDestination implements Destination {
  readonly root: string;
  private readonly links: LinkState = {};
  private readonly gate = new WriteGate();

  constructor(private readonly options: ArchiveOptions) {
    this.root = options.root;
  }

  async describe(): Promise<DestinationDescription> {
    // Before prepare() the folder may not exist yet: describe the drive that would hold it.
    const existing = await nearestExisting(this.root);
    const { bavail, bsize } = await statfs(existing.path);
    return {
      location: this.root,
      // Same identity as a plain disk folder on this drive: both die with it, so 3-2-1 must count one medium.
      medium: this.options.medium ?? `disk:${existing.dev}`,
      mediumKind: 'disk',
      offsite: this.options.offsite ?? false,
      freeBytes: bavail * bsize,
      layout: this.options.layout ?? DEFAULT_LAYOUT,
    };
  }

  /** Creates the folder, `blobs/`, `keys/`, `tmp/` and the `.archive-root` marker. Nothing else creates them. */
  prepare(): Promise<void> {
    return prepareArchive(this.root);
  }

  /** Removes temp files left by interrupted writes. Never touches blobs or records. */
  async recover(): Promise<void> {
    await tempFolder(this.root).cleanup();
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const record = await readRecord(this.root, key);
      if (record) return infoOf(record);
      await requireReady(this.root); // "not there" from an unmounted drive would be a lie
      return undefined;
    } catch (error) {
      throw classifyFsError(error, { root: this.root, key, path: this.root, action: 'read' });
    }
  }

  write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    return this.gate.shared(async () => infoOf(await writeObject(this.root, this.links, key, body, options)));
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const { offset = 0, length, signal } = options;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Invalid read offset ${offset}`);
    if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
      throw new RangeError(`Invalid read length ${length}`);
    }
    signal?.throwIfAborted();
    try {
      // Everything that can say "not found" happens before the promise resolves, never mid-stream.
      const record = await readRecord(this.root, key);
      if (!record) {
        await requireReady(this.root);
        throw new NotFoundError(`No object at ${key} in archive ${this.root}`);
      }
      const fh = await openBlob(this.root, key, record.sha256, record.size);
      if (length === 0 || offset >= record.size) {
        await fh.close();
        return (async function* () {})();
      }
      const end = length === undefined ? undefined : offset + length - 1; // inclusive
      const stream = fh.createReadStream({
        start: offset,
        end,
        highWaterMark: READ_CHUNK,
        ...(signal ? { signal } : {}),
      });
      // An abort before anyone reads emits 'error' with no listener yet, which would end the process; the reader
      // still gets the error from the iterator.
      stream.on('error', () => {});
      return stream;
    } catch (error) {
      throw classifyFsError(error, { root: this.root, key, path: this.root, action: 'read' });
    }
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    for await (const record of listRecords(this.root)) if (record.key.startsWith(prefix)) yield infoOf(record);
  }

  /** Removes the key's record; its blob stays (other keys may share it) until `gc()`. Missing key: resolves. */
  async delete(key: string): Promise<void> {
    const path = recordPath(this.root, key);
    try {
      await unlink(path);
      await fsyncDir(dirname(path));
    } catch (error) {
      if (!hasCode(error, 'ENOENT', 'ENOTDIR'))
        throw classifyFsError(error, { root: this.root, key, path: this.root, action: 'delete' });
      await requireReady(this.root); // already gone is fine; a drive that is gone is not
    }
  }

  /**
   * Garbage collection: removes blobs that no key references any more (after delete, overwrite, or a write
   * that failed after storing its bytes). Never called automatically. Waits for this instance's writes and
   * holds new ones back while it runs, but cannot see another process: run it when no backup is running.
   */
  gc(): Promise<GcResult> {
    return this.gate.alone(() => collectGarbage(this.root));
  }
}
