import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  acquireLock,
  eventsForRun,
  type HookOutcome,
  type NotifyEvent,
  type PlanConfig,
  type RunEvent,
  type RunSummary,
  runBackup,
  sendNotification,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { resolveCatalog, resolvePaths, resolveSecrets } from '../container.js';
import { openPlan } from './open-plan.js';

export interface PlanRunOptions {
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
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

/** The lock file of one plan: shared by `lifeboat run`, the daemon and OS-scheduled runs. */
export function planLockPath(c: DependencyContainer, plan: string): string {
  return join(resolvePaths(c).locksDir, `plan-${plan}.lock`);
}

/**
 * One backup run of a plan, as `lifeboat run` and the daemon both do it: take the plan's lock, create its
 * sources and destinations, run the engine (which records the run in the catalog), close the instances, then
 * send the plan's notifications. Throws LockedError when another run holds the plan.
 */
export async function executePlanRun(
  c: DependencyContainer,
  name: string,
  options: PlanRunOptions,
): Promise<RunSummary> {
  const release = await acquireLock(planLockPath(c, name), `Plan "${name}"`, {
    ...(options.lockWaitMs ? { waitMs: options.lockWaitMs } : {}),
    ...(options.onLockWait ? { onWait: (busy: Error) => options.onLockWait?.(busy.message) } : {}),
    signal: options.signal,
  });
  const catalog = resolveCatalog(c);
  let summary: RunSummary;
  let config: PlanConfig;
  const previous = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
  try {
    const plan = await openPlan(c, name, options.signal, { checksum: options.checksum === true });
    config = plan.config;
    try {
      summary = await runBackup({
        plan: name,
        sources: plan.sources,
        destinations: plan.destinations,
        catalog,
        ...(plan.config.concurrency ? { concurrency: plan.config.concurrency } : {}),
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
      const outcomes = await sendNotification(config.notify, event, { secrets: resolveSecrets(c) });
      options.onNotified?.(event, outcomes);
    }
  }
  return summary;
}
