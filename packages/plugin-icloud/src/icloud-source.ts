import { join } from 'node:path';
import {
  type Asset,
  type InstanceContext,
  isAbort,
  isRetryable,
  type Logger,
  type ResourceHandle,
  type RetryPolicy,
  type Source,
  type SourceListOptions,
  type SourceOpenOptions,
  type SourceTrashOptions,
  type TrashOutcome,
  type TrashRequest,
  withRetry,
} from '@lifeboat/plugin-api';
import { endpointsFor } from './auth/endpoints.js';
import { IcloudSession } from './auth/session.js';
import { openResource } from './download.js';
import type { FetchLike } from './http/client.js';
import { listLibrary, refreshUrls } from './listing.js';
import { DEFAULT_LIST_RETRY, PhotosCloudKit } from './photos/cloudkit.js';
import { moveToTrash } from './photos/trash.js';
import { UrlResolver } from './resolver.js';
import type { IcloudSourceOptions } from './settings.js';
import { SnapshotStore } from './snapshot.js';
import { MemoryUrlCache, SqliteUrlCache, type UrlCache } from './url-cache.js';

export interface IcloudSourceDeps {
  /** Where the listing snapshot for incremental runs is kept (the plugin's storage dir). */
  storageDir?: string;
  fetch?: FetchLike;
  /** Backoff for throttled (503) CloudKit calls. */
  retry?: RetryPolicy;
}

/**
 * The iCloud Photos library as a Lifeboat Source. Signs in from the session stored by `lifeboat login` (never
 * prompts), lists incrementally when it can, and streams each file from a fresh download URL.
 */
export class IcloudSource implements Source {
  readonly options: IcloudSourceOptions;
  readonly session: IcloudSession;
  readonly cloudKit: PhotosCloudKit;
  readonly snapshot: SnapshotStore | undefined;
  readonly urls: UrlCache;
  readonly resolver: UrlResolver;
  readonly #logger: Logger | undefined;
  #ready: Promise<void> | undefined;
  readonly #retry: RetryPolicy;

  constructor(options: IcloudSourceOptions, context: InstanceContext, deps: IcloudSourceDeps = {}) {
    this.options = options;
    this.#logger = context.logger;
    this.#retry = deps.retry ?? DEFAULT_LIST_RETRY;
    this.session = new IcloudSession({
      appleId: options.appleId,
      endpoints: endpointsFor(options.domain, options),
      secrets: context.secrets,
      sourceName: context.name,
      logger: context.logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      backoff: { baseMs: this.#retry.baseDelayMs, maxMs: this.#retry.maxDelayMs },
    });
    this.cloudKit = new PhotosCloudKit(this.session, {
      logger: context.logger,
      sourceName: context.name,
      ...(deps.retry ? { retry: deps.retry } : {}),
    });
    this.snapshot = deps.storageDir ? new SnapshotStore(deps.storageDir, context.name) : undefined;
    this.urls = this.snapshot ? new SqliteUrlCache(join(this.snapshot.dir, 'urls.sqlite')) : new MemoryUrlCache();
    this.resolver = new UrlResolver(
      this.cloudKit,
      this.urls,
      (library, signal) => refreshUrls(this.cloudKit, this.urls, library, this.options.include, signal),
      context.logger,
    );
  }

  async *list(options: SourceListOptions): AsyncIterable<Asset> {
    await this.#ensureSession(options.signal);
    yield* listLibrary({
      cloudKit: this.cloudKit,
      urls: this.urls,
      options: this.options,
      snapshot: this.snapshot,
      signal: options.signal,
      ...(this.#logger ? { logger: this.#logger } : {}),
      ...(options.albumsLater ? { albumsLater: options.albumsLater } : {}),
    });
  }

  async open(resource: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>> {
    await this.#ensureSession(options.signal);
    return openResource(this.resolver, () => this.session.http, resource, {
      signal: options.signal,
      ...(options.offset === undefined ? {} : { offset: options.offset }),
      ...(this.#logger ? { logger: this.#logger } : {}),
    });
  }

  /** Moves photos to Recently Deleted (never expunges); see photos/trash.ts. Only `lifeboat offload --yes` calls it. */
  async moveToTrash(assets: readonly TrashRequest[], options: SourceTrashOptions): Promise<TrashOutcome[]> {
    await this.#ensureSession(options.signal);
    return moveToTrash(this.cloudKit, assets, options.signal);
  }

  async close(): Promise<void> {
    // Keep the renewed cookies for the next run.
    if (this.session.account) await this.session.persist().catch(() => {});
    this.urls.close();
  }

  #ensureSession(signal: AbortSignal): Promise<void> {
    if (!this.#ready) {
      // A failure that a retry may cure (network, throttling) is tried again by the next call; one that needs
      // the user (sign in again, turn on web access) is kept, so many downloads do not each ask Apple again.
      this.#ready = withRetry(() => this.session.resume(signal), this.#retry, { signal }).then(
        () => undefined,
        (error) => {
          if (isRetryable(error) || isAbort(error)) this.#ready = undefined;
          throw error;
        },
      );
    }
    return this.#ready;
  }
}
