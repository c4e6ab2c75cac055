import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  acquireLock,
  type Catalog,
  ConfigError,
  eventsForRun,
  type HookOutcome,
  type NotifyEvent,
  type PlanConfig,
  parseBandwidth,
  type RunEvent,
  type RunSummary,
  runBackup,
  type SecretStore,
  sendNotification,
} from '@lifeboat/core';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { PlanOpener } from './open-plan.js';
import { type Lazy, TOKENS } from './tokens.js';

export interface PlanRunOptions {
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Bytes per second from all sources together, overriding the plan's `bwlimit` (`null`: no limit). */
  bandwidthLimit?: number | null;
  /** Wait this long for another run of the plan to finish instead of refusing (default: refuse at once). */
  lockWaitMs?: number;
  onLockWait?: (message: string) => void;
  /** Which of the run's notification events to send (default: all); the daemon drops repeats. */
  filterEvents?: (events: NotifyEvent[]) => NotifyEvent[];
  /** Told what each notification target did, for a log. */
  onNotified?: (event: NotifyEvent, outcomes: HookOutcome[]) => void;
  /** Sources re-read files whose size and time are unchanged (`run --checksum`). */
  checksum?: boolean;
}

/** The lock file of one plan: shared by `lifeboat run`, the daemon, OS-scheduled runs and `repair`. */
export function planLockPath(paths: StatePaths, plan: string): string {
  return join(paths.locksDir, `plan-${plan}.lock`);
}

/** Backup runs of plans. */
@injectable()
export class PlanRunner {
  constructor(
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(TOKENS.secrets) private readonly secrets: Lazy<SecretStore>,
    @inject(PlanOpener) private readonly opener: PlanOpener,
  ) {}

  /**
   * One backup run of a plan, as `lifeboat run` and the daemon both do it: take the plan's lock, create its
   * sources and destinations, run the engine (which records the run in the catalog), close the instances, then
   * send the plan's notifications. Throws LockedError when another run holds the plan.
   */
  async run(name: string, options: PlanRunOptions): Promise<RunSummary> {
    const release = await acquireLock(planLockPath(this.paths, name), `Plan "${name}"`, {
      ...(options.lockWaitMs ? { waitMs: options.lockWaitMs } : {}),
      ...(options.onLockWait ? { onWait: (busy: Error) => options.onLockWait?.(busy.message) } : {}),
      signal: options.signal,
    });
    const catalog = this.catalog();
    let summary: RunSummary;
    let config: PlanConfig;
    const previous = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
    try {
      const plan = await this.opener.open(name, options.signal, { checksum: options.checksum === true });
      config = plan.config;
      try {
        summary = await runBackup({
          plan: name,
          sources: plan.sources,
          destinations: plan.destinations,
          catalog,
          ...(plan.config.concurrency ? { concurrency: plan.config.concurrency } : {}),
          ...bandwidthOf(options.bandwidthLimit, plan.config.bwlimit),
          signal: options.signal,
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        });
      } finally {
        // A long-lived daemon opens the plan again for each run: release what this run opened.
        for (const s of plan.sources) await s.source.close?.().catch(() => {});
        for (const d of plan.destinations) await d.destination.close?.().catch(() => {});
      }
    } finally {
      await release();
    }
    if (config.notify) {
      const all = eventsForRun(summary, { previousOk: previous?.ok, host: hostname(), now: new Date() });
      for (const event of options.filterEvents ? options.filterEvents(all) : all) {
        const outcomes = await sendNotification(config.notify, event, { secrets: this.secrets() });
        options.onNotified?.(event, outcomes);
      }
    }
    return summary;
  }
}

/** The run's bandwidth limit: the command line's, else the plan's `bwlimit`, else none. */
function bandwidthOf(given: number | null | undefined, planned: string | undefined): { bandwidthLimit?: number } {
  if (given !== undefined) return given === null ? {} : { bandwidthLimit: given };
  if (planned === undefined) return {};
  let limit: number | undefined;
  try {
    limit = parseBandwidth(planned);
  } catch (error) {
    throw new ConfigError(`The plan's bwlimit "${planned}" is not a bandwidth: ${(error as Error).message}`, {
      hint: 'Set it again with `lifeboat plan set <plan> --bwlimit 20M` (or off)',
    });
  }
  return limit === undefined ? {} : { bandwidthLimit: limit };
}
