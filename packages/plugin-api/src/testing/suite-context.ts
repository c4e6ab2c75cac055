import type { Destination } from '../api/destination.js';
import type { DestinationCheck } from './destination-checks.js';

/** Builds a new, empty destination for one check, and says how to throw it away. */
export type DestinationFactory = () => Promise<{ destination: Destination; cleanup?: () => Promise<void> }>;

export interface DestinationSuiteOptions {
  /** Checks this destination documents it cannot meet (names from `DESTINATION_CHECKS`); they are not registered. */
  skip?: readonly DestinationCheck[];
  /** Size of the object in the large round-trip and ranged-read checks (default 8 MiB). */
  largeObjectBytes?: number;
  /** Number of keys in the many-keys listing check (default 300). */
  manyKeys?: number;
  /** Per-check and per-hook timeout (default 120 s): a remote store needs more than vitest's default 5 s. */
  timeoutMs?: number;
}

/** What each group of checks gets: the running check's destination, sizes, and a way to register a check. */
export interface SuiteContext {
  /** The fresh destination of the check that is running (throws outside a check). */
  dest(): Destination;
  readonly largeObjectBytes: number;
  readonly manyKeys: number;
  /** Registers `fn` as a vitest test named `name`, unless the name is skipped. */
  check(name: DestinationCheck, fn: () => Promise<void>): void;
}
