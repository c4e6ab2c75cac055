import type { Destination, RetryPolicy, Source } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';

/** One copy a destination should hold, as the catalog (or, with no local state, the destination's index) says. */
export interface ExpectedCopy {
  key: string;
  size: number;
  sha256: string;
  source: string;
  assetId: string;
  kind: string;
  version: string;
  /** When the copy was last proven by reading it back (catalog only). */
  verifiedAt?: string;
  /** The XMP sidecar beside the copy, when one was written. */
  sidecar?: { key: string; size: number; sha256: string };
  /** Set when this is itself a sidecar: the key of the copy it belongs to (a sidecar is never counted as a photo). */
  sidecarOf?: string;
  /** The capture instant (ISO 8601), a re-created copy's file time, when known. */
  modifiedAt?: string;
}

/**
 * - `missing`: the destination does not hold the key.
 * - `corrupt`: it holds the key with another size or sha256.
 * - `unreadable`: reading it failed (I/O error, network): neither proven healthy nor proven damaged.
 * - `unexpected`: an object under a copy's layout that no copy record or index entry explains (never deleted).
 * - `unindexed`: a copy the catalog says is in the destination's own index, but the index does not list it so.
 */
export type ProblemKind = 'missing' | 'corrupt' | 'unreadable' | 'unexpected' | 'unindexed';

export interface VerifyProblem {
  kind: ProblemKind;
  key: string;
  message: string;
  /** What the copy should be (absent for `unexpected`). */
  expected?: { size: number; sha256: string };
  /** What was found, when something was. */
  actual?: { size: number; sha256?: string };
  code?: string;
}

/** Which copies a verification reads back in full; all are checked for presence and size either way. */
export type VerifySelection = { all: true } | { samplePercent: number };

export interface VerifyReport {
  destination: string;
  ok: boolean;
  /** Where the expected copies came from: the local catalog, or the destination's own index (no local state). */
  basis: 'catalog' | 'index';
  selection: VerifySelection;
  /** Copies the destination should hold (photos and videos: sidecars are counted apart). */
  copies: number;
  /** Sidecars beside those copies, checked for presence and size, and read back with their copy. */
  sidecars: number;
  /** Copies read back in full and hashed. */
  checked: number;
  bytesChecked: number;
  /** Of those read back, the ones whose size and sha256 matched (their verification time was recorded). */
  healthy: number;
  problems: VerifyProblem[];
  /** The destination's index could not be read (damaged, or written by a newer Lifeboat). */
  indexError?: { code: string; message: string };
  aborted: boolean;
  startedAt: string;
  durationMs: number;
}

export type VerifyEvent =
  | { type: 'verify-started'; destination: string; copies: number; toRead: number; bytesToRead: number }
  | { type: 'verify-progress'; destination: string; checked: number; bytesChecked: number }
  | { type: 'problem'; destination: string; problem: VerifyProblem }
  | { type: 'repaired'; destination: string; repair: RepairAction }
  | { type: 'repair-failed'; destination: string; failure: RepairFailure };

export interface NamedDestination {
  name: string;
  destination: Destination;
}

export interface VerifyOptions extends NamedDestination {
  /** The local catalog; without it (or when it holds no copy of this destination) the destination's index is used. */
  catalog?: Catalog;
  selection: VerifySelection;
  concurrency?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  clock?: () => Date;
  onEvent?: (event: VerifyEvent) => void;
}

/** One copy re-created by repair, and where its bytes came from. */
export interface RepairAction {
  key: string;
  was: 'missing' | 'corrupt';
  /** `destination <name>` or `source <name>`. */
  from: string;
  size: number;
}

export interface RepairFailure {
  key: string;
  was: ProblemKind;
  code: string;
  message: string;
}

export interface DestinationRepair {
  destination: string;
  /** The full verification repair started from (before any repair); absent when it could not run. */
  verify?: VerifyReport;
  repaired: RepairAction[];
  /** Copies found healthy on a second look just before repair (a transient read error). */
  healthyOnRecheck: string[];
  failures: RepairFailure[];
  /** Copies written to the destination's index again. */
  reindexed: number;
  /** Objects nobody explains: reported, never deleted. */
  unexpected: string[];
  error?: { code: string; message: string; hint?: string };
}

export interface RepairReport {
  ok: boolean;
  destinations: DestinationRepair[];
  aborted: boolean;
  durationMs: number;
}

export interface RepairOptions {
  /** The destinations to verify in full and repair. */
  targets: NamedDestination[];
  /** Where healthy copies may come from (targets may be donors for each other; a target never donates to itself). */
  donors: NamedDestination[];
  catalog?: Catalog;
  /** Opens a configured source by name, to re-read a copy no destination holds healthy; undefined when unknown. */
  openSource?: (name: string) => Promise<Source | undefined>;
  concurrency?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  clock?: () => Date;
  onEvent?: (event: VerifyEvent) => void;
}
