import type { Destination, DestinationDescription, ObjectInfo, ReadOptions, WriteOptions } from '../api/destination.js';
import { validateKey } from './keys.js';
import { linkMethods } from './link-methods.js';

/**
 * Refuses invalid keys (`validateKey`) before any call reaches the destination, so a plugin never sees one. The
 * plugin host puts every destination it creates behind it, and the conformance kit checks destinations through
 * it too: a plugin needs no key validation of its own, only its store's extra limits (a length, reserved names).
 */
export class KeyCheckedDestination implements Destination {
  link?: Destination['link'];
  unlink?: Destination['unlink'];
  listLinks?: Destination['listLinks'];

  constructor(readonly inner: Destination) {
    Object.assign(
      this,
      linkMethods(inner, (keys, call) => {
        for (const key of keys) validateKey(key);
        return call();
      }),
    );
  }

  describe(): Promise<DestinationDescription> {
    return this.inner.describe();
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    return this.inner.stat(key);
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    validateKey(key);
    return this.inner.write(key, body, options);
  }

  async read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>> {
    validateKey(key);
    return this.inner.read(key, options);
  }

  list(prefix?: string): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix);
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    return this.inner.delete(key);
  }

  async prepare(): Promise<void> {
    await this.inner.prepare?.();
  }

  async recover(): Promise<void> {
    await this.inner.recover?.();
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

/** A destination behind the key checks, once: wrapping an already checked one returns it as it is. */
export function withKeyChecks(destination: Destination): Destination {
  return destination instanceof KeyCheckedDestination ? destination : new KeyCheckedDestination(destination);
}
