import { sleep } from '@lifeboat/plugin-api';
import { AdaptiveLimit } from './adaptive-limit.js';
import type { ConcurrencyReport } from './events.js';
import type { ThrottleSignal } from './throttle-signal.js';

/** Files in flight per server when a run starts: what the engine always used, before it adapted. */
export const INITIAL_CONCURRENCY = 4;
/** The most files in flight per server unless the plan or source says otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 16;

export interface LimitSettings {
  /** Upper bound per source, by name (a source's `maxConcurrency`). */
  sources: { name: string; maxConcurrency?: number }[];
  destinations: string[];
  /** Upper bound for every source and destination without its own (the plan's `concurrency`). */
  max?: number;
  windowMs?: number;
}

/**
 * One adaptive limit per source and per destination: a copy takes a slot of each destination it writes to for
 * its whole length and a slot of its source only while reading from it, so a throttling S3 slows only what goes
 * to S3, a throttling iCloud only what comes from it, and the source's next file is asked for while the last one
 * is still being committed (and the next copy is ready to ask the moment a source slot frees). Slots are always
 * taken in the same order (destinations as listed, then the source), so two copies never wait on each other.
 */
export class RunLimits {
  private readonly sources = new Map<string, AdaptiveLimit>();
  private readonly destinations = new Map<string, AdaptiveLimit>();
  private readonly order: string[];

  constructor(settings: LimitSettings) {
    const make = (initial: number, max: number | undefined) =>
      new AdaptiveLimit({
        initial,
        max: max ?? settings.max ?? DEFAULT_MAX_CONCURRENCY,
        ...(settings.windowMs ? { windowMs: settings.windowMs } : {}),
      });
    for (const s of settings.sources) this.sources.set(s.name, make(INITIAL_CONCURRENCY, s.maxConcurrency));
    // A destination's slot lasts a whole copy (waiting for the source, reading, committing), a source's only the
    // read: a destination starts with more, so that it does not hold its sources below their own limit.
    for (const d of settings.destinations) this.destinations.set(d, make(2 * INITIAL_CONCURRENCY, undefined));
    this.order = settings.destinations;
  }

  source(name: string): AdaptiveLimit {
    return this.sources.get(name)!;
  }

  destination(name: string): AdaptiveLimit {
    return this.destinations.get(name)!;
  }

  /** Takes a slot of every target; throws when aborted (holding nothing). */
  async acquireDestinations(targets: readonly string[], signal: AbortSignal): Promise<void> {
    const taken: AdaptiveLimit[] = [];
    try {
      for (const limit of this.destinationsOf(targets)) {
        await limit.acquire(signal);
        taken.push(limit);
      }
    } catch (error) {
      for (const limit of taken) limit.release(false);
      throw error;
    }
  }

  /** Gives back the targets' slots (the source's went with `releaseSource`). */
  releaseDestinations(targets: readonly string[]): void {
    for (const limit of this.destinationsOf(targets)) limit.release();
  }

  /** A copy holding its targets' slots takes one of its source, right before reading; throws when aborted. */
  acquireSource(source: string, signal: AbortSignal): Promise<void> {
    return this.source(source).acquire(signal);
  }

  /** Gives back a source slot; `finished` when a file was read (not when the source refused or failed). */
  releaseSource(source: string, finished: boolean): void {
    this.source(source).release(finished);
  }

  noteBytes(source: string, targets: readonly string[], n: number): void {
    for (const limit of this.limitsOf(source, targets)) limit.noteBytes(n);
  }

  throttledSource(source: string, signal: ThrottleSignal): void {
    this.source(source).throttled(signal);
  }

  throttledDestination(name: string, signal: ThrottleSignal): void {
    this.destination(name).throttled(signal);
  }

  /** Ms until every server of this copy may be sent something again (the longest Retry-After still running). */
  waitMs(source: string, targets: readonly string[]): number {
    return Math.max(0, ...this.limitsOf(source, targets).map((l) => l.waitMs()));
  }

  /** Waits out the source's Retry-After, if one is running: called right before it is asked for bytes. */
  async waitForSource(source: string, signal: AbortSignal): Promise<void> {
    for (let ms = this.source(source).waitMs(); ms > 0; ms = this.source(source).waitMs()) await sleep(ms, signal);
  }

  /** Each server's current limit, for progress. */
  snapshot(): { sources: Record<string, number>; destinations: Record<string, number> } {
    const of = (limits: Map<string, AdaptiveLimit>) =>
      Object.fromEntries([...limits].map(([name, limit]) => [name, limit.state.limit]));
    return { sources: of(this.sources), destinations: of(this.destinations) };
  }

  /** How each server's limit moved over the run, for the summary. */
  report(): ConcurrencyReport {
    const of = (limits: Map<string, AdaptiveLimit>) =>
      Object.fromEntries(
        [...limits].map(([name, limit]) => {
          const { limit: final, lowest, highest } = limit.state;
          return [name, { initial: limit.initial, lowest, highest, final, max: limit.max }];
        }),
      );
    return { sources: of(this.sources), destinations: of(this.destinations) };
  }

  private limitsOf(source: string, targets: readonly string[]): AdaptiveLimit[] {
    return [this.source(source), ...this.destinationsOf(targets)];
  }

  private destinationsOf(targets: readonly string[]): AdaptiveLimit[] {
    const set = new Set(targets);
    return this.order.filter((d) => set.has(d)).map((d) => this.destination(d));
  }
}
