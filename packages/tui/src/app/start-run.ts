import { join } from 'node:path';
import { acquireLock, type RunEvent, type RunSummary, runBackup } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { openPlan } from '../commands/open-plan.js';
import { resolveCatalog, resolvePaths } from '../container.js';

/**
 * One backup run of a plan, under the same per-plan lock as `lifeboat run` (so the UI, the CLI and a schedule
 * never run one plan twice at once). Stopping is `signal`: in-flight copies are abandoned cleanly.
 */
export async function startRun(
  c: DependencyContainer,
  name: string,
  options: { signal: AbortSignal; onEvent: (e: RunEvent) => void },
): Promise<RunSummary> {
  const release = await acquireLock(join(resolvePaths(c).locksDir, `plan-${name}.lock`), `Plan "${name}"`);
  try {
    const plan = await openPlan(c, name, options.signal);
    return await runBackup({
      plan: name,
      sources: plan.sources,
      destinations: plan.destinations,
      catalog: resolveCatalog(c),
      ...(plan.config.concurrency ? { concurrency: plan.config.concurrency } : {}),
      signal: options.signal,
      onEvent: options.onEvent,
    });
  } finally {
    await release();
  }
}
