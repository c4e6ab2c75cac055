import type { Destination } from '../api/destination.js';
import type { DestinationCheck } from './destination-checks.js';

/**
 * What the kit may look at or do to the store itself, behind the destination's back, for the checks a destination
 * cannot be asked about (leftovers, a vanished root). Checks whose hook is missing are reported as skipped.
 * `folderStore()` gives these for a destination that keeps its objects as files in a folder.
 */
export interface StoreAccess {
  /** Everything the store physically holds (names relative to its root), temp files and incomplete uploads included. */
  contents(): Promise<string[]>;
  /** Leaves behind what a write killed midway (by a crash, a kill, a pulled drive) leaves: a temp file, an upload. */
  plantLeftover?(): Promise<void>;
  /** Makes the root vanish, as an unplugged drive or a deleted folder would. */
  removeRoot?(): Promise<void>;
  /** Whether the root exists (after `removeRoot`, a write must not have created it again). */
  rootExists?(): Promise<boolean>;
}

/**
 * For a destination that talks HTTP: where it talks to, and the same destination (same store, same objects) talking
 * to another endpoint instead. The kit puts a misbehaving proxy in between (one that drops Range headers).
 */
export interface HttpAccess {
  /** The `http://host:port` the destination sends its requests to. */
  endpoint: string;
  /** This check's destination again, sending its requests to `endpoint` (a proxy in front of the real one). */
  at(endpoint: string): Promise<Destination> | Destination;
}

/**
 * Builds a new, empty destination for one check, says how to throw it away and, optionally, how to see its store
 * and how to reach it over HTTP.
 */
export type DestinationFactory = () => Promise<{
  destination: Destination;
  cleanup?: () => Promise<void>;
  store?: StoreAccess;
  http?: HttpAccess;
}>;

export interface DestinationSuiteOptions {
  /** Checks this destination documents it cannot meet (names from `DESTINATION_CHECKS`); they are not registered. */
  skip?: readonly DestinationCheck[];
  /** Size of the object in the large round-trip and ranged-read checks (default 8 MiB). */
  largeObjectBytes?: number;
  /** Number of keys in the many-keys listing check (default 300). */
  manyKeys?: number;
  /** Per-check and per-hook timeout (default 120 s): a remote store needs more than vitest's default 5 s. */
  timeoutMs?: number;
  /**
   * For a network store: a destination of the plugin pointed at `endpoint` (`http://127.0.0.1:<port>`), a server
   * the kit starts that accepts connections and never answers. Every call must then fail by itself within
   * `deadlineMs` (default 30 s), so a run never hangs on a dead server. Without it the check is skipped.
   */
  unresponsive?: { create(endpoint: string): Promise<Destination> | Destination; deadlineMs?: number };
}

/** What each group of checks gets: the running check's destination, sizes, and a way to register a check. */
export interface SuiteContext {
  /** The fresh destination of the check that is running (throws outside a check). */
  dest(): Destination;
  /** The store access the factory gave for the running check, if any. */
  store(): StoreAccess | undefined;
  /** The HTTP access the factory gave for the running check, if any. */
  http(): HttpAccess | undefined;
  readonly largeObjectBytes: number;
  readonly manyKeys: number;
  readonly options: DestinationSuiteOptions;
  /** Registers `fn` as a vitest test named `name`, unless the name is skipped. */
  check(name: DestinationCheck, fn: (test: { skip(note?: string): void }) => Promise<void>): void;
}
