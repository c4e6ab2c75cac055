import type { Destination, DestinationDescription, RetryPolicy } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { readIndex, requireMarker } from '../dest-index/index.js';
import { SidecarWriter } from '../sidecar/sidecar-writer.js';
import { IndexFlusher } from './index-flusher.js';
import { KeyPicker } from './key-picker.js';
import { adoptDestinationIndex, holdsAnyCopy, resolvePending } from './recovery.js';
import { RetryingDestination } from './retrying-destination.js';

/** A destination ready to be planned against (and, in a real run, written to). */
export interface ReadyDestination {
  name: string;
  destination: Destination;
  description: DestinationDescription;
  keys: KeyPicker;
  index: IndexFlusher;
  /** Writes the XMP sidecars beside the copies; absent when the destination's `sidecars` setting is `none`. */
  sidecars?: SidecarWriter;
}

export interface DestinationCheck {
  name: string;
  description: DestinationDescription;
  /**
   * Versions the destination holds that the catalog does not record yet, as `source\0assetId\0kind\0version`:
   * what a run's recovery would record first (a killed run's finished writes, the index of a drive new to this
   * catalog). Lets a dry run plan exactly what the run will, while writing nothing.
   */
  unrecorded: Set<string>;
}

export const versionKey = (r: { source: string; assetId: string; kind: string; version: string }) =>
  `${r.source}\u0000${r.assetId}\u0000${r.kind}\u0000${r.version}`;

/**
 * Gets one destination ready for a run: its marker, leftovers of a killed run, the writes it left pending, its
 * index when the catalog is new to it, index entries a killed run did not write yet.
 */
export async function prepareDestination(
  d: { name: string; destination: Destination },
  catalog: Catalog,
  policy: RetryPolicy,
  signal: AbortSignal,
  clock: () => Date,
): Promise<ReadyDestination> {
  const destination = new RetryingDestination(d.destination, policy, { signal });
  const now = clock().toISOString();
  await requireMarker(destination, d.name);
  await destination.recover();
  const description = await destination.describe();
  await resolvePending(catalog, d.name, destination, now);
  await adoptDestinationIndex(catalog, d.name, destination);
  const index = new IndexFlusher(catalog, d.name, destination, clock);
  await index.flush(); // copies a killed run recorded but did not index yet
  const keys = new KeyPicker(catalog, d.name, destination, description.layout);
  const sidecars = description.sidecars === 'none' ? undefined : new SidecarWriter(catalog, d.name, destination);
  return { name: d.name, destination, description, keys, index, ...(sidecars ? { sidecars } : {}) };
}

/**
 * The dry run's counterpart of prepareDestination: the same questions, answered without writing to the
 * destination or the catalog. A pending write whose object exists counts as held (the run's recovery records
 * it without copying); so does what the index of a destination new to the catalog lists.
 */
export async function checkDestination(
  d: { name: string; destination: Destination },
  catalog: Catalog,
): Promise<DestinationCheck> {
  await requireMarker(d.destination, d.name);
  const description = await d.destination.describe();
  const unrecorded = new Set<string>();
  for (const p of catalog.pendingFor(d.name)) if (await d.destination.stat(p.key)) unrecorded.add(versionKey(p));
  if (!holdsAnyCopy(catalog, d.name)) for (const e of await readIndex(d.destination)) unrecorded.add(versionKey(e));
  return { name: d.name, description, unrecorded };
}
