import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import {
  type Asset,
  hasCode,
  type InstanceContext,
  type Logger,
  NotFoundError,
  type ResourceHandle,
  rawAssetId,
  rawRelativePath,
  type Settings,
  type Source,
  type SourceFactory,
  type SourceListOptions,
  type SourceOpenOptions,
} from '@lifeboat/plugin-api';
import { pMapIterable } from 'p-map';
import { hasReadableExif, readCaptureInfo } from './capture-date.js';
import { ContentCache } from './content-cache.js';
import { toLocalIso } from './local-time.js';
import { DEFAULT_INCLUDE, mediaTypeOf } from './media-types.js';
import { type FsPath, safeName } from './raw-names.js';
import { type FolderSourceOptions, folderSourceOptions } from './settings.js';
import { type WalkedFile, walkFolder } from './walk-folder.js';

const READ_CHUNK = 1024 * 1024;
const EXIF_READS_IN_FLIGHT = 8;

/** Photos and videos in a folder tree (a camera card, an export, an old library). Asset ids are relative paths. */
export class FolderSource implements Source {
  readonly root: string;
  private readonly followSymlinks: boolean;
  private readonly include: ReadonlySet<string>;
  private readonly logger: Logger | undefined;
  private readonly checksum: boolean;
  private readonly cache: Promise<ContentCache>;

  constructor(options: FolderSourceOptions, logger?: Logger, storageDir?: string) {
    this.root = options.root;
    this.followSymlinks = options.followSymlinks ?? false;
    this.include = new Set((options.include ?? DEFAULT_INCLUDE).map((e) => e.replace(/^\./, '').toLowerCase()));
    this.logger = logger;
    this.checksum = options.checksum ?? false;
    this.cache = ContentCache.open(storageDir, this.root);
  }

  async *list(options: SourceListOptions): AsyncIterable<Asset> {
    const cache = await this.cache;
    const walk = walkFolder(this.root, {
      followSymlinks: this.followSymlinks,
      include: this.include,
      signal: options.signal,
    });
    // Reading each photo's capture date (an open and a read of its header) is most of a listing's time, and a
    // disk serves several at once: a few in flight, yielded in walk order.
    try {
      yield* pMapIterable(walk, (file) => this.toAsset(file, cache), { concurrency: EXIF_READS_IN_FLIGHT });
    } finally {
      await cache
        .save()
        .catch((error: unknown) => this.logger?.warn('could not save the content cache', { error: String(error) }));
    }
  }

  async close(): Promise<void> {
    await (await this.cache).save().catch(() => {});
  }

  async open(resource: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>> {
    const locator = resource.locator ?? resource.assetId;
    const path = this.resolveLocator(locator);
    options.signal.throwIfAborted();
    // Open now rather than lazily in the stream, so a missing file rejects this promise with NotFoundError.
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(path, 'r');
    } catch (cause) {
      if (hasCode(cause, 'ENOENT', 'ENOTDIR')) {
        throw new NotFoundError(`${path} is gone from the source folder`, { cause });
      }
      throw cause;
    }
    // A read buffer no larger than the file: a 1 MiB buffer per 100 KB photo is memory the GC must chase.
    const remaining = Math.max(1, resource.size - (options.offset ?? 0));
    const highWaterMark = Math.min(READ_CHUNK, Math.max(64 * 1024, remaining));
    const stream = fh.createReadStream({ start: options.offset ?? 0, highWaterMark, signal: options.signal });
    // An abort before anyone reads (a stop) emits 'error' on a stream nobody listens to yet, which would end the
    // process; the reader still gets the error from the iterator.
    stream.on('error', () => {});
    // A whole read learns the version's sha256, so a later `touch` of the file is not taken for new content.
    return options.offset ? stream : this.learning(stream, resource, await this.cache);
  }

  private async *learning(
    body: AsyncIterable<Uint8Array>,
    resource: ResourceHandle,
    cache: ContentCache,
  ): AsyncIterable<Uint8Array> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body) {
      hash.update(chunk);
      size += chunk.byteLength;
      yield chunk;
    }
    if (size === resource.size) cache.learn(resource.assetId, resource.version, hash.digest('hex'));
  }

  private async toAsset(file: WalkedFile, cache: ContentCache): Promise<Asset> {
    const { stats, relativePath, extension } = file;
    const slash = relativePath.lastIndexOf('/');
    const fileName = relativePath.slice(slash + 1);
    const exif = hasReadableExif(extension) ? await readCaptureInfo(file.absolutePath) : undefined;
    if (hasReadableExif(extension) && !exif?.capturedAt) {
      this.logger?.debug('No EXIF capture date, using the file time', { path: relativePath });
    }
    const metadata: Record<string, unknown> = { relativePath };
    // A name that is not valid UTF-8: backed up under its safe name, its own bytes kept in the id (and so in
    // each destination's index), from which a restore gives the file its name back.
    const id = file.rawRelativePath ? rawAssetId(file.rawRelativePath) : relativePath;
    if (file.rawRelativePath) metadata.originalName = file.rawRelativePath.toString('base64');
    if (exif?.make) metadata.make = exif.make;
    if (exif?.model) metadata.model = exif.model;
    const mediaType = mediaTypeOf(extension);
    return {
      id,
      fileName,
      capturedAt: exif?.capturedAt ?? toLocalIso(stats.mtime),
      // Not every file system records a birth time; Node reports 0 then.
      addedAt: (stats.birthtimeMs > 0 ? stats.birthtime : stats.mtime).toISOString(),
      albums: [],
      // The sub-folder it sits in (`Trip 2024/Day 1`), for `{folder}` layouts, the index and restore's --match.
      ...(slash > 0 ? { folder: relativePath.slice(0, slash) } : {}),
      favorite: false,
      hidden: false,
      resources: [
        {
          kind: 'original',
          fileName,
          size: stats.size,
          version: await cache.versionOf(id, file.absolutePath, stats.size, stats.mtimeMs, this.checksum),
          locator: id,
          ...(mediaType ? { mediaType } : {}),
        },
      ],
      metadata,
    };
  }

  /** A locator comes back from core's catalog: accept only a relative path that stays inside the folder. */
  private resolveLocator(locator: string): FsPath {
    const raw = rawRelativePath(locator);
    if (raw) {
      const parts = safeName(raw).split('/');
      if (raw.includes(0) || parts.some((s) => s === '' || s === '.' || s === '..')) {
        throw new NotFoundError(`"${safeName(raw)}" is not a file of the source folder ${this.root}`);
      }
      return Buffer.concat([Buffer.from(this.root), Buffer.from(sep), raw]);
    }
    const segments = locator.split('/');
    const unsafe =
      locator === '' ||
      locator.includes('\0') ||
      isAbsolute(locator) ||
      segments.some((s) => s === '' || s === '.' || s === '..' || (sep === '\\' && s.includes('\\')));
    if (unsafe) throw new NotFoundError(`"${locator}" is not a file of the source folder ${this.root}`);
    return join(this.root, ...segments);
  }
}

export const FolderSourceFactory: SourceFactory = folderSourceFactory();

/** The factory, with the plugin's storage folder for the content cache (none: every time change is a version). */
export function folderSourceFactory(storageDir?: string): SourceFactory {
  return {
    create(settings: Settings, context: InstanceContext): Source {
      return new FolderSource(folderSourceOptions(settings), context.logger, storageDir);
    },
  };
}
