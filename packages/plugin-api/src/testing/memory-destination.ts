import { createHash } from 'node:crypto';
import type { Destination, DestinationDescription, ObjectInfo, ReadOptions, WriteOptions } from '../api/destination.js';
import { AlreadyExistsError, IntegrityError, NotFoundError } from '../errors/index.js';
import { validateKey } from '../toolkit/keys.js';

/**
 * A Destination held in memory that keeps every guarantee of the contract: a reference for plugin authors and
 * a fast, real (not mocked) destination for engine tests. `failWrites` injects failures for fault tests.
 */
export class MemoryDestination implements Destination {
  readonly objects = new Map<string, { data: Buffer; modifiedAt: string }>();
  /** Called before each write commits; throw from it to simulate a failing destination. */
  failWrites: ((key: string) => void) | undefined;

  constructor(private readonly description: Partial<DestinationDescription> = {}) {}

  async describe(): Promise<DestinationDescription> {
    return {
      location: 'memory:',
      medium: 'memory',
      mediumKind: 'memory',
      offsite: false,
      layout: '{yyyy}/{mm}/{name}',
      ...this.description,
    };
  }

  // Used without the host's wrapper in core's own tests, so it checks keys itself.
  private check(key: string) {
    validateKey(key);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    this.check(key);
    const o = this.objects.get(key);
    return o ? { key, size: o.data.length, modifiedAt: o.modifiedAt } : undefined;
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    this.check(key);
    if (!options.overwrite && this.objects.has(key)) throw new AlreadyExistsError(`${key} exists`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      options.signal?.throwIfAborted();
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (size > options.size) throw new IntegrityError(`${key}: more than ${options.size} bytes`);
    }
    const data = Buffer.concat(chunks);
    if (data.length !== options.size) throw new IntegrityError(`${key}: ${data.length} of ${options.size} bytes`);
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (options.sha256 && options.sha256 !== sha256) throw new IntegrityError(`${key}: sha256 mismatch`);
    this.failWrites?.(key);
    if (!options.overwrite && this.objects.has(key)) throw new AlreadyExistsError(`${key} exists`);
    // The time the caller gives (a photo's capture time), as a file system keeps it; else the time of writing.
    const given = options.modifiedAt === undefined ? Number.NaN : Date.parse(options.modifiedAt);
    const modifiedAt = (Number.isNaN(given) ? new Date() : new Date(given)).toISOString();
    this.objects.set(key, { data, modifiedAt });
    return { key, size, sha256, modifiedAt };
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    this.check(key);
    const o = this.objects.get(key);
    if (!o) throw new NotFoundError(`${key} not found`);
    const start = options.offset ?? 0;
    const end = options.length === undefined ? o.data.length : Math.min(o.data.length, start + options.length);
    const slice = o.data.subarray(start, end);
    return (async function* () {
      yield slice;
    })();
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    for (const [key, o] of [...this.objects].sort(([a], [b]) => a.localeCompare(b))) {
      if (key.startsWith(prefix)) yield { key, size: o.data.length, modifiedAt: o.modifiedAt };
    }
  }

  async delete(key: string): Promise<void> {
    this.check(key); // like every operation: `../x` must never reach outside the root
    this.objects.delete(key);
  }
}
