import {
  type Catalog,
  describeError,
  dueRun,
  isLoginRequired,
  type LifeboatConfig,
  parseSchedule,
  requireMarker,
  type SourceHealth,
} from '@lifeboat/core';
import { daemonStateFile, readDaemonState } from '../state/daemon-state.js';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';

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

/** One plan's run health, as `status`, `check` and the home screen show it. */
export interface PlanHealth {
  lastSuccess: string | null;
  lastFailure: { at: string; reason: string } | null;
  nextRun: string | null;
  needsLogin: { source: string; command: string }[];
}

/** Whether sources are signed in, destinations reachable and plans succeeding. */
@injectable()
export class HealthService {
  constructor(
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
  ) {}

  /** A source's sign-in health, for sources that report it (iCloud); undefined for those that have none. */
  async sourceHealth(
    config: LifeboatConfig,
    name: string,
    deadlineMs = PROBE_DEADLINE_MS,
    onNoAnswer?: (error: NoAnswer) => void,
  ): Promise<(SourceHealth & { daysSinceLogin?: number }) | undefined> {
    const instance = config.sources[name];
    if (!instance) return undefined;
    try {
      return await withDeadline(deadlineMs, `source "${name}"`, async (signal) => {
        const source = await this.plugins.open('source', name, instance, signal);
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
  async destinationReachable(
    config: LifeboatConfig,
    name: string,
    deadlineMs = PROBE_DEADLINE_MS,
  ): Promise<string | undefined> {
    const instance = config.destinations[name];
    if (!instance) return 'not configured';
    try {
      return await withDeadline(deadlineMs, `destination "${name}"`, async (signal) => {
        const destination = await this.plugins.open('destination', name, instance, signal);
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
  planHealth(name: string, schedule: string | undefined, now = new Date()): PlanHealth {
    const catalog = this.catalog();
    const success = catalog.lastSuccess(name);
    const failure = catalog.lastFailure(name);
    const failures = (
      failure?.summary as { failures?: { code: string; message: string; source?: string }[] } | undefined
    )?.failures;
    const reason = failures?.[0]?.message;
    // Needs login: the latest run failed on a sign-in, or the daemon paused the plan for that reason.
    const latest = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
    const daemon = readDaemonState(daemonStateFile(this.paths)).plans[name];
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
}
