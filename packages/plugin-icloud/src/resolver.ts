import { LifeboatError, type Logger, NotFoundError, type ResourceHandle } from '@lifeboat/plugin-api';
import { ICLOUD_ERRORS, protocolError } from './errors.js';
import type { PhotosCloudKit } from './photos/cloudkit.js';
import type { LibraryRef, Locator } from './photos/locator.js';
import { fieldAssetId } from './photos/records.js';
import type { UrlCache } from './url-cache.js';

/** Re-walks a library to refresh every download URL (when records/lookup is not available). */
export type LibraryRefresher = (library: LibraryRef, signal: AbortSignal) => Promise<void>;

/** A re-walk refreshes every URL for about an hour: one that just finished is not repeated. */
const MIN_REFRESH_GAP_MS = 30_000;

/**
 * Finds a current download URL for a listed file. Download URLs expire about an hour after they were handed out,
 * so: a fresh one remembered from the listing; else the record fetched by name (`records/lookup`); where a server
 * does not offer lookup, one re-walk of the library's indexes refreshes them all.
 */
export class UrlResolver {
  #lookupUnsupported = false;
  readonly #refreshing = new Map<string, Promise<void>>();
  readonly #refreshedAt = new Map<string, number>();

  constructor(
    readonly cloudKit: PhotosCloudKit,
    readonly cache: UrlCache,
    readonly refresh: LibraryRefresher,
    readonly logger?: Logger,
  ) {}

  async resolve(
    locatorText: string,
    locator: Locator,
    handle: ResourceHandle,
    options: { signal: AbortSignal; fresh?: boolean },
  ): Promise<string> {
    if (!options.fresh) {
      const cached = this.cache.get(locatorText);
      if (cached) return checkUrl(cached, handle);
    }
    if (!this.#lookupUnsupported) {
      try {
        return await this.#lookup(locator, handle, options.signal);
      } catch (error) {
        if (
          !(
            error instanceof LifeboatError &&
            error.code === ICLOUD_ERRORS.PROTOCOL &&
            /records\/lookup|unsupported|HTTP 404/i.test(error.message)
          )
        )
          throw error;
        this.logger?.info('This iCloud server offers no records/lookup; refreshing download URLs by listing');
        this.#lookupUnsupported = true;
      }
    }
    const key = `${locator.library.library}|${locator.library.zone.zoneName}`;
    // Concurrent opens share one re-walk, and one that just finished is not repeated.
    const last = this.#refreshedAt.get(key) ?? 0;
    if (this.#refreshing.has(key) || Date.now() - last > MIN_REFRESH_GAP_MS) {
      await this.#refreshOnce(key, locator.library, options.signal);
    }
    const url = this.cache.get(locatorText);
    if (!url) throw new NotFoundError(`${handle.fileName} is no longer in iCloud`);
    return checkUrl(url, handle);
  }

  #refreshOnce(key: string, library: LibraryRef, signal: AbortSignal): Promise<void> {
    let running = this.#refreshing.get(key);
    if (!running) {
      running = this.refresh(library, signal)
        .then(() => {
          this.#refreshedAt.set(key, Date.now());
        })
        .finally(() => this.#refreshing.delete(key));
      this.#refreshing.set(key, running);
    }
    return running;
  }

  async #lookup(locator: Locator, handle: ResourceHandle, signal: AbortSignal): Promise<string> {
    const records = await this.cloudKit.lookup(locator.library, [locator.recordName], signal);
    const record = records.find((r) => r.recordName === locator.recordName);
    if (!record || record.deleted || record.serverErrorCode === 'NOT_FOUND') {
      throw new NotFoundError(`${handle.fileName} is gone from iCloud`);
    }
    if (record.serverErrorCode) throw protocolError(`looking up ${handle.fileName}: ${record.serverErrorCode}`);
    this.cache.putRecords(locator.library, [record]);
    const value = fieldAssetId(record, locator.field);
    if (!value) throw new NotFoundError(`${handle.fileName} no longer has this file in iCloud`);
    const version = value.fileChecksum ? `ck:${value.fileChecksum}` : undefined;
    if (
      (version !== undefined && handle.version.startsWith('ck:') && version !== handle.version) ||
      value.size !== handle.size
    ) {
      throw new NotFoundError(
        `${handle.fileName} changed in iCloud since it was listed; the next run copies the new version`,
      );
    }
    if (!value.downloadURL) throw protocolError(`the record of ${handle.fileName} has no download URL`);
    return checkUrl(value.downloadURL, handle);
  }
}

function checkUrl(url: string, handle: ResourceHandle): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw protocolError(`the download URL of ${handle.fileName} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw protocolError(`the download URL of ${handle.fileName} is not http(s)`);
  // The literal `${f}` placeholder is sent as-is (percent-encoded), as Apple's web client does.
  return parsed.toString();
}
