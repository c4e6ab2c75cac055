import type { Destination, DestinationDescription, ObjectInfo, ReadOptions, WriteOptions } from '@lifeboat/plugin-api';
import { LifeboatError, linkMethods } from '@lifeboat/plugin-api';
import { inspectMarker } from './marker.js';

export interface IdentityOptions {
  /** The configured destination's name, for messages. */
  name: string;
  /** The marker id recorded when the destination was added; undefined for one added before ids were recorded. */
  expectedId: string | undefined;
  /** Called once with the id found when none was recorded, so it can be (trust on first use). */
  onFirstSight?: (id: string) => void;
}

/**
 * A configured destination that checks, before its first use, that the marker at its location is the one it was
 * added with. Another drive mounted at the same path holds another Lifeboat backup: writing to it and calling it
 * healthy would hide that the configured drive got nothing. A missing or damaged marker is left to
 * `requireMarker` (not mounted / damaged), which every command calls before writing.
 */
export class IdentityCheckedDestination implements Destination {
  #checked: Promise<void> | undefined;
  link?: Destination['link'];
  unlink?: Destination['unlink'];
  listLinks?: Destination['listLinks'];

  constructor(
    readonly inner: Destination,
    private readonly options: IdentityOptions,
  ) {
    Object.assign(
      this,
      linkMethods(inner, async (_keys, call) => {
        await this.check();
        return call();
      }),
    );
  }

  private check(): Promise<void> {
    this.#checked ??= this.compare();
    return this.#checked;
  }

  private async compare(): Promise<void> {
    const state = await inspectMarker(this.inner);
    if (state.state !== 'ok') return;
    const { expectedId, name } = this.options;
    if (expectedId === undefined) {
      this.options.onFirstSight?.(state.marker.id);
      return;
    }
    if (state.marker.id === expectedId) return;
    const location = (await this.inner.describe().catch(() => undefined))?.location ?? name;
    const found = state.marker;
    throw new LifeboatError(
      'LIFEBOAT_DEST_MISMATCH',
      `Destination "${name}" at ${location} holds a different Lifeboat backup (marker id ${found.id}, named "${found.name}", created ${found.createdAt}); "${name}" was added with marker id ${expectedId}. Nothing was written to it.`,
      {
        hint: `Mount the drive that holds "${name}" at ${location} and run again. If this backup should now be "${name}" (you replaced the drive on purpose), run \`lifeboat destination adopt ${name}\``,
      },
    );
  }

  async describe(): Promise<DestinationDescription> {
    return this.inner.describe();
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    await this.check();
    return this.inner.stat(key);
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    await this.check();
    return this.inner.write(key, body, options);
  }

  async read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>> {
    await this.check();
    return this.inner.read(key, options);
  }

  async *list(prefix?: string): AsyncIterable<ObjectInfo> {
    await this.check();
    yield* this.inner.list(prefix);
  }

  async delete(key: string): Promise<void> {
    await this.check();
    return this.inner.delete(key);
  }

  async prepare(): Promise<void> {
    await this.inner.prepare?.();
  }

  async recover(): Promise<void> {
    await this.check();
    await this.inner.recover?.();
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
