import type {
  Asset,
  Destination,
  DestinationDescription,
  ObjectInfo,
  ReadOptions,
  ResourceHandle,
  Source,
  SourceHealth,
  SourceListOptions,
  SourceOpenOptions,
  TrashOutcome,
  TrashRequest,
  WriteOptions,
} from '@lifeboat/plugin-api';
import { linkMethods } from '@lifeboat/plugin-api';
import type { CallGuard } from './call-guard.js';

/**
 * A destination whose every call runs under a CallGuard: a deadline on no answer or no progress, and an abort
 * path the plugin cannot block. Placed right around the plugin's object, so what the host adds (key checks,
 * encryption, identity) is timed with it.
 */
export class GuardedDestination implements Destination {
  link?: Destination['link'];
  unlink?: Destination['unlink'];
  listLinks?: Destination['listLinks'];

  constructor(
    private readonly inner: Destination,
    private readonly guard: CallGuard,
  ) {
    // The album view's optional methods stay optional (callers test for them) and get the same deadlines.
    const links = linkMethods(inner, (keys, call) => guard.call(`link ${keys.join(' ')}`, call));
    if (links.listLinks) {
      const list = links.listLinks;
      links.listLinks = (prefix) => guard.iterable(`list links ${prefix}`, () => list(prefix));
    }
    Object.assign(this, links);
  }

  describe(): Promise<DestinationDescription> {
    return this.guard.call('describe', () => this.inner.describe());
  }

  stat(key: string): Promise<ObjectInfo | undefined> {
    return this.guard.call(`stat ${key}`, () => this.inner.stat(key));
  }

  write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    return this.guard.call(
      `write ${key}`,
      (signal, watch) => this.inner.write(key, this.guard.body(body, watch), { ...options, signal }),
      options.signal,
    );
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    const { signal, abort } = streamSignal(options.signal);
    const stream = await this.guard.call(
      `read ${key}`,
      (s) => link(s, abort, () => this.inner.read(key, { ...options, signal })),
      options.signal,
    );
    return this.guard.iterable(`read ${key}`, () => stream, options.signal, abort);
  }

  list(prefix?: string): AsyncIterable<ObjectInfo> {
    return this.guard.iterable(`list ${prefix ?? ''}`.trim(), () => this.inner.list(prefix));
  }

  delete(key: string): Promise<void> {
    return this.guard.call(`delete ${key}`, () => this.inner.delete(key));
  }

  async prepare(): Promise<void> {
    if (this.inner.prepare) await this.guard.call('prepare', () => this.inner.prepare!());
  }

  async recover(): Promise<void> {
    if (this.inner.recover) await this.guard.call('recover', () => this.inner.recover!());
  }

  async close(): Promise<void> {
    // A hung instance is not asked again: its close would only wait out another deadline.
    if (this.inner.close && !this.guard.hung) await this.guard.call('close', () => this.inner.close!());
  }
}

/** A source under a CallGuard: its listing must keep yielding, its downloads keep moving. */
export class GuardedSource implements Source {
  readonly health?: () => Promise<SourceHealth>;
  readonly moveToTrash?: (assets: readonly TrashRequest[], options: { signal: AbortSignal }) => Promise<TrashOutcome[]>;

  constructor(
    private readonly inner: Source,
    private readonly guard: CallGuard,
  ) {
    // Optional methods stay optional: callers test for them.
    if (inner.health) this.health = () => guard.call('health', () => inner.health!());
    if (inner.moveToTrash) {
      this.moveToTrash = (assets, options) =>
        guard.call('move to trash', (signal) => inner.moveToTrash!(assets, { ...options, signal }), options.signal);
    }
  }

  list(options: SourceListOptions): AsyncIterable<Asset> {
    return this.guard.iterable('list', () => this.inner.list(options), options.signal);
  }

  async open(resource: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>> {
    const what = `open ${resource.fileName}`;
    const { signal, abort } = streamSignal(options.signal);
    const stream = await this.guard.call(
      what,
      (s) => link(s, abort, () => this.inner.open(resource, { ...options, signal })),
      options.signal,
    );
    return this.guard.iterable(what, () => stream, options.signal, abort);
  }

  async close(): Promise<void> {
    if (this.inner.close && !this.guard.hung) await this.guard.call('close', () => this.inner.close!());
  }
}

/**
 * The signal a plugin's read stream lives by: the caller's, and one the guard aborts when the stream stalls, so
 * the transfer behind a stream that passed its deadline is ended too.
 */
function streamSignal(caller: AbortSignal | undefined): { signal: AbortSignal; abort: AbortController } {
  const abort = new AbortController();
  return { signal: caller ? AbortSignal.any([caller, abort.signal]) : abort.signal, abort };
}

/** Starts a call whose failure (deadline, stop) also ends the stream it would have opened. */
function link<T>(call: AbortSignal, stream: AbortController, start: () => Promise<T>): Promise<T> {
  call.addEventListener('abort', () => stream.abort(call.reason), { once: true });
  return start();
}
