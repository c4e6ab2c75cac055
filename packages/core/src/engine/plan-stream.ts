import type { Catalog, CatalogResource } from '../catalog/index.js';
import {
  type DestinationPlan,
  type PlanDestination,
  type PlanFigures,
  PlanTally,
  planBackup,
  spaceNeeded,
  type WorkItem,
} from '../planner/index.js';
import type { ListingFeed, ListingOutcome } from './listing-feed.js';
import { versionKey } from './prepare-destinations.js';

export interface PlanStreamOptions {
  feed: ListingFeed;
  catalog: Catalog;
  /** The plan's sources, by name (what the catalog is read back for). */
  sources: readonly string[];
  destinations: readonly PlanDestination[];
  /** Held versions the catalog does not record (a dry run's view of recovery): `versionKey` strings per destination. */
  unrecorded?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * A run hands out the work: what did not fit the queue is read back from the catalog once the queue ran dry,
   * and so is what a listing that failed part way did not list again (their copies are still made, as always).
   * A dry run only wants the figures: nothing is queued.
   */
  handOut: boolean;
  /** Work items held waiting for the workers at most (default 2,000). */
  highWater?: number;
  /** Told once per destination whose planned bytes outgrow its free space (it still gets what fits). */
  onShort?: (plan: DestinationPlan) => void;
}

/** What a destination short of space gets: the files that fit, in plan order, and what was left out. */
export interface SpaceFit {
  files: number;
  bytes: number;
  skippedFiles: number;
  skippedBytes: number;
}

/** Resources read back from the catalog per page (no statement stays open while the workers write). */
const PAGE = 1_000;
const SAMPLE = 3;

/**
 * The one planning pipeline of `run`, `plan show`, the TUI's dry run and the daemon. The listing is planned batch
 * by batch as it arrives (planBackup, pure, on each batch: the sum is the whole list's plan, see PlanTally), so
 * the figures grow with the listing and are final when it ends (`planned`), and each batch's work is handed out
 * at once: iterate the stream for it.
 *
 * Planning never waits for the copies: work that does not fit the queue is dropped and read back from the
 * catalog (where the listing recorded it) when the queue runs dry. So the listing goes at the source's pace, the
 * total is known as soon as it ends, and memory holds the queue and one key per version, not the library.
 */
export class PlanStream implements AsyncIterable<WorkItem<CatalogResource>[]> {
  readonly tally: PlanTally;
  /** The first few resources listed, for examples of where files will go (the TUI's dry run shows three). */
  readonly sample: CatalogResource[] = [];
  /** Resolves when the listing ended and all of it was planned: `figures()` are then final. */
  readonly planned: Promise<ListingOutcome>;
  /**
   * Versions planned so far (a version listed twice is planned once), each with the destinations it was planned
   * for but not queued (the queue was full) as a bit mask of their positions, 0 when queued: read back later.
   * One entry per version of the library, so kept small: one key string, one small number.
   */
  private readonly seen = new Map<string, number>();
  private droppedCount = 0;
  private readonly short = new Set<string>();
  /** Per destination that tells its free space: what was given to it so far, and what did not fit. */
  readonly fits = new Map<string, SpaceFit>();
  private queue: WorkItem<CatalogResource>[] = [];
  private planningDone = false;
  private wakeConsumer: (() => void) | undefined;
  private readonly highWater: number;

  constructor(private readonly options: PlanStreamOptions) {
    this.tally = new PlanTally(options.destinations);
    this.highWater = options.highWater ?? 2_000;
    this.planned = this.planListing().finally(() => {
      this.planningDone = true;
      this.wake();
    });
  }

  figures(): PlanFigures {
    return this.tally.figures();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WorkItem<CatalogResource>[]> {
    for (;;) {
      if (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        yield batch;
      } else if (this.planningDone) break;
      else await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
    const listing = await this.planned;
    if (this.droppedCount === 0 && listing.failures.length === 0) return;
    yield* this.readBack();
  }

  private async planListing(): Promise<ListingOutcome> {
    const { feed } = this.options;
    for (let batch = await feed.take(); batch; batch = await feed.take()) {
      const work = this.plan(batch);
      if (!this.options.handOut) continue;
      for (const w of work) {
        if (this.queue.length < this.highWater) this.queue.push(w);
        else {
          this.seen.set(versionKey(w.resource), this.maskOf(w.destinations));
          this.droppedCount++;
        }
      }
      if (this.queue.length > 0) this.wake();
    }
    return feed.done;
  }

  /** Pages through the catalog for what was dropped, and what a failed listing did not list (never planned). */
  private async *readBack(): AsyncGenerator<WorkItem<CatalogResource>[]> {
    const { catalog, sources, destinations } = this.options;
    const copiedOn = destinations.map((d) => d.name);
    let after: CatalogResource | undefined;
    for (;;) {
      const page = [...catalog.presentResources(sources, { copiedOn, limit: PAGE, ...(after ? { after } : {}) })];
      if (page.length === 0) return;
      after = page[page.length - 1];
      const unseen = page.filter((r) => !this.seen.has(versionKey(r)));
      const dropped = page.filter((r) => (this.seen.get(versionKey(r)) ?? 0) !== 0);
      // Dropped work is in the figures (and the space fit) already; what was never listed this run is added now.
      const again = planBackup({ resources: dropped, destinations, hasCopy: copiedOnly, fitToSpace: false })
        .work.map((w) => {
          const fitted = this.seen.get(versionKey(w.resource)) ?? 0;
          return { ...w, destinations: w.destinations.filter((d) => this.inMask(fitted, d)) };
        })
        .filter((w) => w.destinations.length > 0);
      const work = [...this.plan(unseen), ...again];
      if (work.length > 0) yield work;
    }
  }

  private plan(resources: CatalogResource[]): WorkItem<CatalogResource>[] {
    const { catalog, destinations, unrecorded } = this.options;
    const fresh = resources.filter((r) => {
      const key = versionKey(r);
      if (this.seen.has(key)) return false;
      this.seen.set(key, 0);
      if (this.sample.length < SAMPLE) this.sample.push(r);
      return true;
    });
    const held = heldIn(catalog, destinations, fresh);
    const plan = planBackup({
      resources: fresh,
      destinations,
      fitToSpace: false, // fitted below, over the whole listing
      hasCopy: (d, r) =>
        (r.copiedOn
          ? r.copiedOn.includes(d)
          : (held.get(`${d}\u0000${r.source}`)?.has(`${r.assetId}\u0000${r.kind}\u0000${r.version}`) ?? false)) ||
        (unrecorded?.get(d)?.has(versionKey(r)) ?? false),
    });
    this.tally.add(plan);
    const work = this.fit(plan.work);
    destinations.forEach((d, i) => {
      if (this.short.has(d.name)) return;
      const figures = this.tally.destination(i);
      if (figures.enoughSpace) return;
      this.short.add(d.name);
      this.options.onShort?.(figures);
    });
    return work;
  }

  /**
   * A destination short of space gets what fits, in plan order, over the whole listing (planBackup fits one
   * batch only): each item that would pass its free space, with the margin, goes without that destination.
   */
  private fit(work: WorkItem<CatalogResource>[]): WorkItem<CatalogResource>[] {
    let trimmed = false;
    for (const d of this.options.destinations) {
      const free = d.description.freeBytes;
      if (free === undefined) continue;
      const fit = this.fits.get(d.name) ?? { files: 0, bytes: 0, skippedFiles: 0, skippedBytes: 0 };
      this.fits.set(d.name, fit);
      for (const item of work) {
        if (!item.destinations.includes(d.name)) continue;
        const size = item.resource.size;
        if (spaceNeeded(fit.bytes + size, fit.files + 1) <= free) {
          fit.files++;
          fit.bytes += size;
        } else {
          item.destinations = item.destinations.filter((n) => n !== d.name);
          fit.skippedFiles++;
          fit.skippedBytes += size;
          trimmed = true;
        }
      }
    }
    return trimmed ? work.filter((w) => w.destinations.length > 0) : work;
  }

  /** Destinations by position as bits (plain arithmetic: exact for up to 53 destinations). */
  private maskOf(names: readonly string[]): number {
    let mask = 0;
    this.options.destinations.forEach((d, i) => {
      if (names.includes(d.name)) mask += 2 ** i;
    });
    return mask;
  }

  private inMask(mask: number, name: string): boolean {
    const i = this.options.destinations.findIndex((d) => d.name === name);
    return i >= 0 && Math.floor(mask / 2 ** i) % 2 === 1;
  }

  private wake() {
    this.wakeConsumer?.();
    this.wakeConsumer = undefined;
  }
}

const copiedOnly = (d: string, r: CatalogResource) => r.copiedOn?.includes(d) ?? false;

/** What the destinations hold of a listed batch, one query per destination and source (see heldVersions). */
function heldIn(
  catalog: Catalog,
  destinations: readonly PlanDestination[],
  resources: readonly CatalogResource[],
): Map<string, Set<string>> {
  const bySource = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.copiedOn) continue;
    const ids = bySource.get(r.source) ?? new Set<string>();
    bySource.set(r.source, ids.add(r.assetId));
  }
  const held = new Map<string, Set<string>>();
  for (const [source, ids] of bySource)
    for (const d of destinations) held.set(`${d.name}\u0000${source}`, catalog.heldVersions(d.name, source, [...ids]));
  return held;
}
