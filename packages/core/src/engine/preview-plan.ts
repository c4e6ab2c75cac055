import type { Destination, DestinationDescription, Source } from '@lifeboat/plugin-api';
import { describeError } from '@lifeboat/plugin-api';
import type { Catalog, CatalogResource } from '../catalog/index.js';
import type { PlanFigures } from '../planner/index.js';
import type { RunEvent, RunFailure } from './events.js';
import { albumsNotInKeys, ListingFeed } from './listing-feed.js';
import { PlanStream } from './plan-stream.js';
import { checkDestination, type DestinationCheck } from './prepare-destinations.js';

export interface PlanPreviewOptions {
  sources: { name: string; source: Source }[];
  destinations: { name: string; destination: Destination }[];
  catalog: Catalog;
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export interface PlanPreview {
  /** What a run would copy now: per destination, totals, 3-2-1. */
  figures: PlanFigures;
  /** Assets the sources listed. */
  assets: number;
  /** Destinations planned for, with what they said about themselves. */
  destinations: { name: string; description: DestinationDescription }[];
  /** Destinations that cannot be used now, and why. */
  unavailable: { name: string; reason: string }[];
  /** Listings that failed: the figures then cover only what was listed. */
  listingFailures: RunFailure[];
  /** The first few resources listed. */
  sample: CatalogResource[];
}

/**
 * What `lifeboat run` would copy now, without writing anything anywhere: `plan show`, the TUI's dry run. The
 * same pipeline as the run (ListingFeed, PlanStream) and the same view of each destination as the run's
 * recovery gives it (checkDestination), so the preview and the run agree.
 */
export async function previewPlan(options: PlanPreviewOptions): Promise<PlanPreview> {
  const { catalog, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const feed = new ListingFeed({
    sources: options.sources,
    catalog,
    signal,
    emit,
    now: () => new Date().toISOString(),
    // As the run lists, so the preview sees what the run would (and lists as fast).
    albumsLater: albumsNotInKeys(options.destinations),
  });
  const unavailable: PlanPreview['unavailable'] = [];
  const checked = await Promise.all(
    options.destinations.map((d) =>
      checkDestination(d, catalog).catch((error: unknown) => {
        unavailable.push({ name: d.name, reason: describeError(error) });
        return undefined;
      }),
    ),
  );
  const ready = checked.filter((d): d is DestinationCheck => d !== undefined);
  const stream = new PlanStream({
    feed,
    catalog,
    sources: options.sources.map((s) => s.name),
    destinations: ready.map((d) => ({ name: d.name, description: d.description })),
    unrecorded: new Map(ready.map((d) => [d.name, d.unrecorded])),
    handOut: false,
  });
  const listing = await stream.planned;
  return {
    figures: stream.figures(),
    assets: feed.assets,
    destinations: ready.map((d) => ({ name: d.name, description: d.description })),
    unavailable,
    listingFailures: listing.failures,
    sample: stream.sample,
  };
}
