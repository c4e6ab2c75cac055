import type { Asset, ResourceHandle } from './asset.js';

export interface SourceListOptions {
  signal: AbortSignal;
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
}
