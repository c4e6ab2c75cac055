import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  AlreadyExistsError,
  backoffDelay,
  ConfigError,
  checkedBody,
  type Destination,
  type DestinationDescription,
  DestinationUnavailableError,
  type ObjectInfo,
  type ReadOptions,
  sleep,
  type WriteOptions,
} from '@lifeboat/plugin-api';
import { statusError } from './classify.js';
import { type Connection, type DavRequest, davRequest, discard, readText } from './http.js';
import { parseMultistatus } from './multistatus.js';
import { folderUrl, hrefKey, keyUrl, parentFolders, redact, TEMP_FOLDER } from './paths.js';
import { readBody } from './read-body.js';
import type { WebdavOptions } from './settings.js';

const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>' +
  '<resourcetype/><getcontentlength/><getlastmodified/></prop></propfind>';

// A WebDAV lock (another client's, or the server's own while it handles a request on the same name) lasts as long
// as a request: retried here, briefly, so two writes in one run do not fail each other. Other transient answers
// (503, 429) are left to core's retries, which back off for longer.
const LOCK_RETRY = { attempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

const ok = (r: IncomingMessage) => (r.statusCode ?? 0) >= 200 && (r.statusCode ?? 0) < 300;

/**
 * A Lifeboat destination in a folder on a WebDAV server. WebDAV has no atomic rename it can be trusted with
 * (MOVE with Overwrite: T deletes then moves on many servers), so a write uploads to a temp name in TEMP_FOLDER,
 * then MOVEs it under the key with `Overwrite: F`: the server refuses (412) when the key exists, so the object is
 * whole when it appears and never silently replaces another.
 */
export class WebdavDestination implements Destination {
  private readonly root: URL;
  private readonly conn: Connection;
  private tempReady: Promise<void> | undefined;
  private readonly folders = new Set<string>();

  constructor(private readonly options: WebdavOptions) {
    this.root = options.url;
    this.conn = {
      timeoutMs: options.timeoutMs,
      ...(options.username === undefined
        ? {}
        : {
            authorization: `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`,
          }),
    };
  }

  async describe(): Promise<DestinationDescription> {
    return {
      location: redact(this.root),
      medium: this.options.medium ?? `webdav:${this.root.host}`,
      mediumKind: this.options.offsite ? 'cloud' : 'nas',
      offsite: this.options.offsite,
      layout: this.options.layout,
    };
  }

  /** A request, retried while the server answers 423 Locked. */
  private async call(req: DavRequest): Promise<IncomingMessage> {
    for (let attempt = 1; ; attempt++) {
      const response = await davRequest(this.conn, req);
      if (response.statusCode !== 423 || attempt >= LOCK_RETRY.attempts) return response;
      discard(response);
      await sleep(backoffDelay(LOCK_RETRY, attempt), req.signal);
    }
  }

  /** Sends a request whose answer body is not needed; resolves with the status. */
  private async status(req: DavRequest): Promise<IncomingMessage> {
    const response = await this.call(req);
    discard(response);
    return response;
  }

  async prepare(): Promise<void> {
    const made = await this.status({ method: 'MKCOL', url: this.root });
    if (made.statusCode === 409) {
      throw new ConfigError(`The parent folder of ${redact(this.root)} does not exist on the server`, {
        hint: 'Create it first, or fix "url"',
      });
    }
    if (!ok(made) && made.statusCode !== 405) throw statusError(made, 'Creating the folder', this.root);
    const found = await this.status({ method: 'PROPFIND', url: this.root, headers: { depth: '0' } });
    if (!ok(found)) throw statusError(found, 'Opening the folder', this.root);
  }

  /** Sweeps what interrupted writes left: the whole temp folder (no write runs while recover does). */
  async recover(): Promise<void> {
    this.tempReady = undefined;
    const url = folderUrl(this.root, TEMP_FOLDER);
    const gone = await this.status({ method: 'DELETE', url });
    if (!ok(gone) && gone.statusCode !== 404) throw statusError(gone, 'Removing unfinished uploads', url);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const url = keyUrl(this.root, key);
    const response = await this.status({ method: 'HEAD', url });
    if (response.statusCode === 404) return undefined;
    if (!ok(response)) throw statusError(response, `Looking up ${key}`, url);
    const modified = Date.parse(response.headers['last-modified'] ?? '');
    return {
      key,
      size: Number(response.headers['content-length'] ?? 0),
      ...(Number.isNaN(modified) ? {} : { modifiedAt: new Date(modified).toISOString() }),
    };
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    const target = keyUrl(this.root, key);
    options.signal?.throwIfAborted();
    // Cheap early refusal; the MOVE below is what guarantees it.
    if (!options.overwrite && (await this.stat(key)))
      throw new AlreadyExistsError(`${key} exists at ${redact(target)}`);
    await this.ensureTempFolder();
    const temp = new URL(`${randomUUID()}.part`, folderUrl(this.root, TEMP_FOLDER));
    const checked = checkedBody(body, { key, ...options });
    // A body that fails (short, long, wrong sha256, aborted) ends the upload cleanly instead of tearing the
    // connection: the server then finishes its PUT before the DELETE below, rather than writing the temp file
    // after it. The bytes only ever reach the temp name, never the key.
    let bodyError: unknown;
    let failed = false;
    const upload = (async function* () {
      try {
        yield* checked.stream;
      } catch (error) {
        failed = true;
        bodyError = error;
      }
    })();
    try {
      const put = await davRequest(this.conn, {
        method: 'PUT',
        url: temp,
        headers: { 'content-type': 'application/octet-stream' },
        body: upload,
      });
      discard(put);
      if (failed) throw bodyError;
      if (put.statusCode === 404 || put.statusCode === 409) {
        this.tempReady = undefined;
        throw this.rootGone();
      }
      if (!ok(put)) throw statusError(put, `Uploading ${key}`, temp);
      options.signal?.throwIfAborted();
      await this.move(temp, target, key, options.overwrite === true);
      return { key, size: options.size, ...sha(checked.sha256()), modifiedAt: new Date().toISOString() };
    } catch (error) {
      await this.status({ method: 'DELETE', url: temp }).catch(() => {}); // recover() sweeps what this misses
      throw error;
    }
  }

  private async move(temp: URL, target: URL, key: string, overwrite: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.makeParents(key);
      const headers = { destination: target.href, overwrite: overwrite ? 'T' : 'F' };
      const moved = await this.status({ method: 'MOVE', url: temp, headers });
      if (ok(moved)) return;
      if (moved.statusCode === 412) throw new AlreadyExistsError(`${key} exists at ${redact(target)}`);
      // 409: a parent folder vanished since it was made (or remembered): make the folders again, once.
      if (moved.statusCode === 409 && attempt === 1) {
        this.folders.clear();
        continue;
      }
      throw statusError(moved, `Moving the upload of ${key} into place`, target);
    }
  }

  private ensureTempFolder(): Promise<void> {
    this.tempReady ??= this.makeFolder(TEMP_FOLDER).catch((error: unknown) => {
      this.tempReady = undefined;
      throw error;
    });
    return this.tempReady;
  }

  private async makeParents(key: string): Promise<void> {
    for (const folder of parentFolders(key)) {
      if (this.folders.has(folder)) continue;
      await this.makeFolder(folder);
      this.folders.add(folder);
    }
  }

  /** MKCOL of a folder below the root; never the root itself: a write must not create a vanished root. */
  private async makeFolder(folder: string): Promise<void> {
    const url = folderUrl(this.root, folder);
    const made = await this.status({ method: 'MKCOL', url });
    if (ok(made) || made.statusCode === 405) return; // 405: it exists already
    if (made.statusCode === 409 && !folder.includes('/')) throw this.rootGone();
    throw statusError(made, `Creating the folder ${folder}`, url);
  }

  private rootGone(): Error {
    return new DestinationUnavailableError(`The folder ${redact(this.root)} is gone from the server`, {
      hint: 'Check the server (was the folder moved or deleted?); `lifeboat destination add` creates it again',
    });
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    return readBody(
      (req) => this.call(req),
      keyUrl(this.root, key),
      key,
      options,
      () => this.stat(key),
    );
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    const start = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    yield* this.walk(start, prefix);
  }

  /** PROPFIND Depth: 1 of one folder, then of each subfolder that may hold keys with the prefix. */
  private async *walk(folder: string, prefix: string): AsyncGenerator<ObjectInfo> {
    const url = folderUrl(this.root, folder);
    const response = await this.call({
      method: 'PROPFIND',
      url,
      headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
      body: PROPFIND_BODY,
    });
    if (response.statusCode === 404) return discard(response);
    if (response.statusCode !== 207) {
      discard(response);
      throw statusError(response, `Listing ${folder || 'the folder'}`, url);
    }
    for (const entry of parseMultistatus(await readText(response))) {
      const key = hrefKey(this.root, entry.href);
      if (key === undefined || key === folder || key === TEMP_FOLDER) continue;
      if (entry.collection) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
      } else if (key.startsWith(prefix)) {
        yield { key, size: entry.size ?? 0, ...(entry.modifiedAt ? { modifiedAt: entry.modifiedAt } : {}) };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const url = keyUrl(this.root, key);
    const response = await this.status({ method: 'DELETE', url });
    if (!ok(response) && response.statusCode !== 404) throw statusError(response, `Deleting ${key}`, url);
  }
}

const sha = (digest: string | undefined) => (digest === undefined ? {} : { sha256: digest });
