import type { Destination, DestinationDescription, ObjectInfo, ReadOptions, WriteOptions } from '@lifeboat/plugin-api';
import { linkMethods, type RetryHooks, type RetryPolicy, withRetry } from '@lifeboat/plugin-api';

/**
 * Adds retries with backoff to any destination, so plugins stay small (restic's and kopia's wrappers).
 * Calls with no side effects are retried here. A write cannot be: its body is a one-shot stream, so the
 * engine retries a failed write by reading the source again.
 */
export class RetryingDestination implements Destination {
  link?: Destination['link'];
  unlink?: Destination['unlink'];
  listLinks?: Destination['listLinks'];

  constructor(
    private readonly inner: Destination,
    private readonly policy: RetryPolicy,
    private readonly hooks: RetryHooks = {},
  ) {
    // Linking an existing target to a free name, and unlinking, can be repeated safely.
    Object.assign(
      this,
      linkMethods(inner, (_keys, call) => withRetry(call, policy, hooks)),
    );
  }

  describe(): Promise<DestinationDescription> {
    return withRetry(() => this.inner.describe(), this.policy, this.hooks);
  }

  stat(key: string): Promise<ObjectInfo | undefined> {
    return withRetry(() => this.inner.stat(key), this.policy, this.hooks);
  }

  write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    return this.inner.write(key, body, options);
  }

  read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>> {
    return withRetry(() => this.inner.read(key, options), this.policy, this.hooks);
  }

  list(prefix?: string): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix);
  }

  delete(key: string): Promise<void> {
    return withRetry(() => this.inner.delete(key), this.policy, this.hooks);
  }

  async prepare(): Promise<void> {
    await this.inner.prepare?.();
  }

  async recover(): Promise<void> {
    await withRetry(async () => this.inner.recover?.(), this.policy, this.hooks);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
