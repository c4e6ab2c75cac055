import type { AlbumsUpdate, Asset, Destination, Source } from '@lifeboat/plugin-api';
import { describeError, ErrorCode, SourceUnavailableError, toFailure } from '@lifeboat/plugin-api';
import type { Catalog, CatalogResource, InventoryWriter } from '../catalog/index.js';
import { layoutUsesAlbums } from '../layout/index.js';
import type { RunEvent, RunFailure } from './events.js';

export interface ListingOutcome {
  /** Assets listed (distinct, as the catalog counts them in a run; as seen in a dry run). */
  listed: number;
  newlyGone: number;
  failures: RunFailure[];
}

export interface ListingFeedOptions {
  sources: readonly { name: string; source: Source }[];
  catalog: Catalog;
  signal: AbortSignal;
  emit: (e: RunEvent) => void;
  now: () => string;
  /** A run records the listing in the catalog as it comes; a dry run writes nothing. */
  runId?: number;
  /**
   * No destination files photos by album: sources may report albums after their assets (`albumsLater`), so the
   * first photo need not wait for every album of the library to be read. Resolved before each source is listed.
   */
  albumsLater?: Promise<boolean>;
  /** Resources held waiting for the planner at most (default 5,000, a few MB): the listing waits beyond. */
  highWater?: number;
}

/** The resources of a listed asset, as the catalog will hand them back (presentResources). */
export function resourcesOfAsset(source: string, asset: Asset): CatalogResource[] {
  return asset.resources.map((r) => ({
    source,
    assetId: asset.id,
    kind: r.kind,
    version: r.version,
    fileName: r.fileName,
    size: r.size,
    locator: r.locator,
    sha256: r.sha256,
    mediaType: r.mediaType,
    assetFileName: asset.fileName,
    capturedAt: asset.capturedAt,
    timeZone: asset.timeZone,
    addedAt: asset.addedAt,
    albums: asset.albums ?? [],
    ...(typeof asset.folder === 'string' && asset.folder !== '' ? { folder: asset.folder } : {}),
    favorite: asset.favorite === true,
    hidden: asset.hidden === true,
  }));
}

/**
 * Lists the sources (one after another) while the planner takes what was listed so far, so planning (and
 * copying) starts with the first page. A run records every asset in the catalog as it comes. The planner never
 * waits for copies (see PlanStream), so the listing runs at the source's pace and memory stays bounded.
 *
 * Only a listing that ended normally may mark assets as gone; an interrupted one keeps what it saw and marks
 * nothing, so a network error never looks like mass deletion.
 */
export class ListingFeed {
  /** Assets listed so far, all sources together. */
  assets = 0;
  readonly done: Promise<ListingOutcome>;
  private buffer: CatalogResource[] = [];
  private finished = false;
  private readonly writers: InventoryWriter[] = [];
  private wakeTaker: (() => void) | undefined;
  private takenAny = false;
  private wakeLister: (() => void) | undefined;
  private readonly highWater: number;

  constructor(private readonly options: ListingFeedOptions) {
    this.highWater = options.highWater ?? 5_000;
    this.done = this.run().finally(() => {
      this.finished = true;
      this.wake();
    });
  }

  /** Everything listed since the last call, once there is something (or undefined when the listing ended). */
  async take(): Promise<CatalogResource[] | undefined> {
    while (this.buffer.length === 0 && !this.finished) await new Promise<void>((r) => (this.wakeTaker = r));
    // A source hands a page's assets over in microtasks: one macrotask later the whole page is here, so a batch
    // is a page (or what the buffer holds), not one asset, and the catalog commits once per batch. The first
    // batch does not wait for its page: the first copy starts while the rest of the page is still being read.
    if (this.takenAny && !this.finished && this.buffer.length < this.highWater)
      await new Promise((r) => setImmediate(r));
    this.takenAny = true;
    // What is handed out must be readable from the catalog (the index flusher joins asset rows).
    for (const w of this.writers) w.flush();
    const batch = this.buffer;
    this.buffer = [];
    this.wakeLister?.();
    this.wakeLister = undefined;
    return batch.length > 0 ? batch : undefined;
  }

  private wake() {
    this.wakeTaker?.();
    this.wakeTaker = undefined;
  }

  private async push(resources: CatalogResource[]) {
    while (this.buffer.length >= this.highWater) await new Promise<void>((r) => (this.wakeLister = r));
    for (const r of resources) this.buffer.push(r);
    this.wake();
  }

  private async run(): Promise<ListingOutcome> {
    const { sources, catalog, runId, now, emit, signal } = this.options;
    const outcome: ListingOutcome = { listed: 0, newlyGone: 0, failures: [] };
    for (const { name, source } of sources) {
      const writer = runId === undefined ? undefined : catalog.beginInventory(name, runId, now());
      if (writer) this.writers.push(writer);
      let count = 0;
      try {
        const later = (await this.options.albumsLater) === true;
        const albumsLater = (updates: readonly AlbumsUpdate[]) => writer?.setAlbums(updates);
        for await (const asset of source.list({ signal, ...(later ? { albumsLater } : {}) })) {
          writer?.add(asset);
          this.assets++;
          await this.push(resourcesOfAsset(name, asset));
          if (++count % 500 === 0) emit({ type: 'listing', source: name, assets: count });
        }
        if (signal.aborted) throw signal.reason;
        if (count === 0) refuseEmptyListing(catalog, name);
        const result = writer?.finish() ?? { listed: count, newlyGone: 0 };
        outcome.listed += result.listed;
        outcome.newlyGone += result.newlyGone;
        emit({ type: 'listed', source: name, assets: result.listed, newlyGone: result.newlyGone });
      } catch (error) {
        writer?.abandon();
        const { code, hint } = toFailure(error, ErrorCode.SourceError);
        outcome.failures.push({
          code,
          source: name,
          message: `Listing source "${name}" failed: ${describeError(error)}`,
          ...(hint ? { hint } : {}),
        });
      } finally {
        if (writer) this.writers.splice(this.writers.indexOf(writer), 1);
      }
    }
    return outcome;
  }
}

/**
 * A source that lists nothing while the catalog knows files in it is far more likely unplugged or unmounted than
 * emptied; recording the whole library as gone would bury real disappearances in noise.
 */
function refuseEmptyListing(catalog: Catalog, name: string) {
  for (const _ of catalog.presentResources([name], { limit: 1 })) {
    throw new SourceUnavailableError(`Source "${name}" listed no files, but earlier runs found files there`, {
      hint: 'Check that its drive or folder is available; nothing was marked as gone',
    });
  }
}

/**
 * Whether no destination's layout uses `{album}`: then a source may report albums after the photos. A destination
 * that cannot describe itself counts as using them (its layout is unknown; its preparation reports the error).
 */
export async function albumsNotInKeys(destinations: readonly { destination: Destination }[]): Promise<boolean> {
  const layouts = await Promise.all(
    destinations.map((d) =>
      d.destination.describe().then(
        (x) => x.layout,
        () => '{album}',
      ),
    ),
  );
  return layouts.every((layout) => !layoutUsesAlbums(layout));
}
