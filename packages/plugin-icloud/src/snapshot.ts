import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isObject, parseJson, stringAt } from './json.js';
import type { AssetInfo, MasterInfo } from './photos/assets.js';
import type { LibraryRef } from './photos/locator.js';

/**
 * The last complete listing, kept on disk so an incremental run can stream every asset (core's contract) while
 * asking iCloud only for what changed. One JSON line per photo; `state.json` holds the sync tokens and is
 * written only after a listing ended normally, so an interrupted run never leaves a half snapshot in use.
 * Nothing secret is here: record names, file names, dates, sizes.
 */
export interface SnapshotEntry {
  /** Library key (`primary` or `shared`). */
  k: 'primary' | 'shared';
  m: MasterInfo;
  a: AssetInfo;
  al: string[];
}

export interface SnapshotState {
  v: 1;
  /** What the listing covered (Apple ID, libraries, include flags): a change means a full walk. */
  scope: string;
  libraries: { ref: LibraryRef; syncToken: string }[];
  count: number;
  completedAt: string;
  /**
   * The entries carry the albums from before this listing's album changes (they were being read while the photos
   * went out; a second pass writes them in): the next run reads every album again.
   */
  albumsStale?: boolean;
}

export class SnapshotStore {
  readonly dir: string;

  constructor(storageDir: string, instanceName: string) {
    const id = createHash('sha256').update(instanceName).digest('hex').slice(0, 16);
    this.dir = join(storageDir, `source-${id}`);
  }

  get listingPath(): string {
    return join(this.dir, 'listing.jsonl');
  }

  get statePath(): string {
    return join(this.dir, 'state.json');
  }

  async readState(scope: string): Promise<SnapshotState | undefined> {
    let text: string;
    try {
      text = await readFile(this.statePath, 'utf8');
    } catch {
      return undefined;
    }
    const json = parseJson(text);
    if (!isObject(json) || json.v !== 1 || stringAt(json, 'scope') !== scope || !Array.isArray(json.libraries))
      return undefined;
    return json as unknown as SnapshotState;
  }

  /** Streams the entries of the last complete listing. */
  async *entries(): AsyncGenerator<SnapshotEntry> {
    const lines = createInterface({
      input: createReadStream(this.listingPath, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (line === '') continue;
      const json = parseJson(line);
      if (!isObject(json) || !isObject(json.m) || !isObject(json.a)) throw new Error('corrupt listing snapshot');
      yield json as unknown as SnapshotEntry;
    }
  }

  async begin(): Promise<SnapshotWriter> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `listing.${process.pid}.${Date.now()}.tmp`);
    return new SnapshotWriter(this, tmp, createWriteStream(tmp, { encoding: 'utf8' }));
  }

  async forget(): Promise<void> {
    await rm(this.statePath, { force: true });
  }
}

export class SnapshotWriter {
  #count = 0;
  #closed = false;

  constructor(
    readonly store: SnapshotStore,
    readonly tmpPath: string,
    readonly stream: WriteStream,
  ) {}

  get count(): number {
    return this.#count;
  }

  async add(entry: SnapshotEntry): Promise<void> {
    this.#count++;
    if (!this.stream.write(`${JSON.stringify(entry)}\n`)) await once(this.stream, 'drain');
  }

  /** Makes this listing the snapshot and records the sync tokens (state last: it is what marks it usable). */
  async commit(state: Omit<SnapshotState, 'v' | 'count' | 'completedAt'>): Promise<void> {
    await this.#close();
    await rm(this.store.statePath, { force: true });
    await rename(this.tmpPath, this.store.listingPath);
    const full: SnapshotState = { v: 1, ...state, count: this.#count, completedAt: new Date().toISOString() };
    const tmpState = `${this.store.statePath}.tmp`;
    await writeFile(tmpState, JSON.stringify(full));
    await rename(tmpState, this.store.statePath);
  }

  async abandon(): Promise<void> {
    await this.#close().catch(() => {});
    await rm(this.tmpPath, { force: true });
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stream.end();
    await once(this.stream, 'close');
  }
}
