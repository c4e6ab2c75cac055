import {
  describeError,
  dueRun,
  isLoginRequired,
  type LifeboatConfig,
  parseSchedule,
  requireMarker,
  type SourceHealth,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveCatalog, resolvePaths } from '../container.js';
import { createInstance } from '../state/instances.js';
import { daemonStateFile, readDaemonState } from './daemon-state.js';

const DAY_MS = 86_400_000;
/** How long a health probe may take: a hung mount or plugin must not hang `check`, or monitoring never alerts. */
export const PROBE_DEADLINE_MS = 30_000;

/** Thrown (and said) when a probe passed its deadline. */
export class NoAnswer extends Error {}

/** Runs `probe` with a signal that aborts at the deadline; rejects with NoAnswer then, whatever the probe does. */
async function withDeadline<T>(ms: number, what: string, probe: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
      reject(new NoAnswer(`${what} did not answer within ${seconds} (a hung drive, network mount or plugin?)`));
      abort.abort();
    }, ms);
  });
  try {
    return await Promise.race([probe(abort.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A source's sign-in health, for sources that report it (iCloud); undefined for those that have none. */
export async function sourceHealth(
  c: DependencyContainer,
  config: LifeboatConfig,
  name: string,
  deadlineMs = PROBE_DEADLINE_MS,
  onNoAnswer?: (error: NoAnswer) => void,
): Promise<(SourceHealth & { daysSinceLogin?: number }) | undefined> {
  const instance = config.sources[name];
  if (!instance) return undefined;
  try {
    return await withDeadline(deadlineMs, `source "${name}"`, async (signal) => {
      const ctx = await contextFor(c, 'source', name, instance.type, signal);
      const source = await createInstance(await pluginHost(c), 'source', name, instance, ctx);
      if (!source.health) return undefined;
      try {
        const health = await source.health();
        const lastLogin = health.lastLoginAt;
        const days = lastLogin ? Math.floor((Date.now() - Date.parse(lastLogin)) / DAY_MS) : undefined;
        return { ...health, ...(days === undefined ? {} : { daysSinceLogin: days }) };
      } finally {
        await source.close?.().catch(() => {});
      }
    });
  } catch (error) {
    if (error instanceof NoAnswer) onNoAnswer?.(error); // a hung source: `check` reports it
    // The source cannot be created (broken plugin, keychain locked): `status` and `check` report that elsewhere
    // (its runs fail); a sign-in state read from nothing would be a guess.
    return undefined;
  }
}

/** Whether a destination can be used now (mounted, marker in place, reachable); the reason when not. */
export async function destinationReachable(
  c: DependencyContainer,
  config: LifeboatConfig,
  name: string,
  deadlineMs = PROBE_DEADLINE_MS,
): Promise<string | undefined> {
  const instance = config.destinations[name];
  if (!instance) return 'not configured';
  try {
    return await withDeadline(deadlineMs, `destination "${name}"`, async (signal) => {
      const ctx = await contextFor(c, 'destination', name, instance.type, signal);
      const destination = await createInstance(await pluginHost(c), 'destination', name, instance, ctx);
      try {
        await requireMarker(destination, name);
        return undefined;
      } finally {
        // A hung destination may hang its close too: do not wait for it past the deadline.
        void destination.close?.().catch(() => {});
      }
    });
  } catch (error) {
    return describeError(error);
  }
}

/** One plan's run health from the catalog and the daemon's state: last success, last failure, next run, login. */
export function planHealth(c: DependencyContainer, name: string, schedule: string | undefined, now = new Date()) {
  const catalog = resolveCatalog(c);
  const success = catalog.lastSuccess(name);
  const failure = catalog.lastFailure(name);
  const failures = (failure?.summary as { failures?: { code: string; message: string; source?: string }[] } | undefined)
    ?.failures;
  const reason = failures?.[0]?.message;
  // Needs login: the latest run failed on a sign-in, or the daemon paused the plan for that reason.
  const latest = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
  const daemon = readDaemonState(daemonStateFile(resolvePaths(c))).plans[name];
  const loginSources = new Set<string>();
  if (latest && latest.ok === false && latest.runId === failure?.runId) {
    for (const f of failures ?? []) if (isLoginRequired(f.code)) loginSources.add(f.source ?? '?');
  }
  for (const s of daemon?.needsLogin?.sources ?? []) {
    if (!success || success.startedAt <= daemon!.needsLogin!.since) loginSources.add(s);
  }
  let nextRun: string | null = null;
  if (schedule) {
    try {
      const last = [daemon?.lastRunAt, catalog.lastRuns(name, 1)[0]?.startedAt].filter(Boolean).sort().at(-1);
      const due = dueRun(parseSchedule(schedule), { now, ...(last ? { lastRunAt: new Date(last) } : {}) });
      nextRun = due.due ? now.toISOString() : (due.next?.toISOString() ?? null);
    } catch {
      nextRun = null;
    }
  }
  return {
    lastSuccess: success?.finishedAt ?? null,
    lastFailure: failure ? { at: failure.finishedAt ?? failure.startedAt, reason: reason ?? 'unknown' } : null,
    nextRun,
    needsLogin: [...loginSources].map((s) => ({ source: s, command: `lifeboat login ${s}` })),
  };
}
