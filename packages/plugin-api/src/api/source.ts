import type { Asset, ResourceHandle } from './asset.js';

export interface SourceListOptions {
  signal: AbortSignal;
  /**
   * Optional: given when no destination of the run files photos by album, so albums are not needed to
   * place a copy. A source whose album memberships are slow to read (they grow with the library) may then yield
   * an asset before its albums are known, with `albumsPending: true`, and must report those albums later through
   * this callback, before `list` ends (a listing that throws may leave some unreported). Core keeps an asset's
   * previous albums until they are reported, then updates its catalog and every destination's index. Absent, or
   * ignored by the source: every asset carries its albums when yielded, as before.
   */
  albumsLater?: (updates: readonly AlbumsUpdate[]) => void;
}

/** The albums of an asset yielded earlier with `albumsPending: true`. */
export interface AlbumsUpdate {
  assetId: string;
  albums: string[];
  /** As Asset.albumFolders (API 1.3). */
  albumFolders?: Record<string, string>;
}

export interface SourceOpenOptions {
  signal: AbortSignal;
  /** Start reading at this byte offset (for resuming a dropped transfer). */
  offset?: number;
}

/**
 * A place photos come from (iCloud Photos, a folder).
 *
 * Guarantees a Source promises:
 * - `list` streams every asset exactly once per call, without holding the whole library in memory. It throws
 *   (rather than ending early) when it cannot finish: core treats an assets missing from a listing that ended
 *   normally as gone from the source, so a silent early end would be reported as a mass deletion.
 * - Asset ids are stable across calls; a resource's `version` changes whenever its bytes change.
 * - `open` returns the resource's bytes from `offset` to the end. A stream that ends early is detected by
 *   core (size check), but a Source should throw when it knows a transfer was cut.
 * - Errors are classified with core's error classes: `NotFoundError` when the resource is gone,
 *   `TransientError` (or any error with `retryable: true`) when trying again may succeed.
 */
export interface Source {
  list(options: SourceListOptions): AsyncIterable<Asset>;
  open(resource: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Releases connections, file handles. Called once when the host shuts down. */
  close?(): Promise<void>;
  /**
   * Optional: how the source's sign-in is doing, for `lifeboat status` and `lifeboat check`, so an unattended
   * setup hears about an expiring login before runs stop. Reads only what the source keeps locally (no network).
   */
  health?(): Promise<SourceHealth>;
  /**
   * Optional (API 1.1): moves these assets to the source's own trash (iCloud's Recently Deleted), where the user
   * can still restore them; never erases anything. Only `lifeboat offload --yes` calls it, in small batches, after
   * checking every asset's copies. A Source must:
   * - move an asset only if it is still as it was listed (same record version); otherwise answer `conflict`;
   * - answer one outcome per request, in order; stop at the first refusal (later ones `not-attempted`);
   * - throw (moving nothing further) when the whole call fails.
   */
  moveToTrash?(assets: readonly TrashRequest[], options: SourceTrashOptions): Promise<TrashOutcome[]>;
}

export interface SourceTrashOptions {
  signal: AbortSignal;
}

/** One asset to move: its id, and the metadata the source reported with it at listing (record names, tags). */
export interface TrashRequest {
  assetId: string;
  metadata: Record<string, unknown>;
}

/**
 * What happened to one asset: `moved`; `conflict` (changed since it was listed); `not-found` (no longer in the
 * source); `refused` (the source said no; `message` says why); `not-attempted` (an earlier one was refused).
 */
export interface TrashOutcome {
  assetId: string;
  status: 'moved' | 'conflict' | 'not-found' | 'refused' | 'not-attempted';
  message?: string;
}

/** What `Source.health` reports. */
export interface SourceHealth {
  /** `login-soon`: a new interactive sign-in (e.g. a two-factor code) will be needed soon; `login-required`: now. */
  state: 'ok' | 'login-soon' | 'login-required';
  /** When the user last completed an interactive sign-in (ISO time), when known. */
  lastLoginAt?: string;
  /** When that sign-in is expected to stop working (ISO time), when the source can estimate it. */
  loginExpiresAt?: string;
  /** One line for the user, e.g. what to run. */
  message?: string;
}
