import { setTimeout as sleep } from 'node:timers/promises';
import {
  describeError,
  dueRun,
  isLoginRequired,
  LifeboatError,
  LockedError,
  type PlanConfig,
  parseSchedule,
  type Schedule,
} from '@lifeboat/core';
import type { DaemonServices } from '../app/daemon-services.js';
import type { MetricsService } from '../app/metrics.js';
import type { Io } from '../output/io.js';
import { markDaemonRunning } from '../state/daemon-presence.js';
import {
  type DaemonState,
  daemonStateFile,
  planState,
  readDaemonState,
  writeDaemonState,
} from '../state/daemon-state.js';
import { type DaemonLog, daemonLog } from './daemon-log.js';
import { notifyExpiringLogins } from './daemon-logins.js';
import { serveMetrics } from './daemon-metrics.js';
import { runScrub } from './scrub-hook.js';

export interface DaemonOptions {
  /** How often due plans are looked for (ms); schedules finer than this run late by up to one tick. */
  tickMs?: number;
  /** How often sources' sign-ins are checked for an upcoming expiry (ms, default hourly). */
  loginCheckMs?: number;
  logMaxBytes?: number;
  /** `--metrics host:port`: serve /metrics and /healthz there while the daemon runs. */
  metrics?: { listen: string; service: MetricsService };
}

/**
 * `lifeboat daemon`: runs each plan when its schedule says, one run per plan at a time (the plan lock is shared
 * with `lifeboat run`), catches up a missed run once after sleep or downtime, and on SIGTERM/SIGINT stops
 * gracefully: in-flight copies are abandoned cleanly (temp files removed, never a partial file under a final
 * name), the runs are recorded as stopped, and the process exits 0.
 */
export async function runDaemon(s: DaemonServices, io: Io, options: DaemonOptions = {}): Promise<number> {
  const paths = s.paths;
  const log = daemonLog(paths.logsDir, options.logMaxBytes ? { maxBytes: options.logMaxBytes } : {}, (l) => io.err(l));
  const stateFile = daemonStateFile(paths);
  const state = readDaemonState(stateFile);
  const save = () => writeDaemonState(stateFile, state);
  const abort = new AbortController();
  const stop = (signal: string) => {
    if (!abort.signal.aborted) log.info(`${signal} received: stopping (abandoning in-flight copies cleanly)`);
    abort.abort(new Error('the daemon is stopping'));
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  // Listening before anything else: a taken port fails the start, with what to do, rather than later.
  const served = options.metrics
    ? await serveMetrics(options.metrics.service, options.metrics.listen, (m) => log.error(m)).catch((error) => {
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        throw error;
      })
    : undefined;
  // `status` and the home screen read this to tell that the schedules are running.
  const unmark = markDaemonRunning(paths, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...(served ? { metrics: served.address } : {}),
  });
  const inFlight = new Map<string, Promise<void>>();
  const badSpecs = new Set<string>();
  const schedule = (plan: string, spec: string): Schedule | undefined => {
    try {
      return parseSchedule(spec);
    } catch (error) {
      if (!badSpecs.has(`${plan}\0${spec}`)) log.error(`plan "${plan}": ${describeError(error)}`, { plan });
      badSpecs.add(`${plan}\0${spec}`);
      return undefined;
    }
  };
  try {
    const plans = Object.entries(s.config.read().plans).filter(([, p]) => p.schedule);
    log.info(`daemon started (pid ${process.pid}): ${plans.length} scheduled plan(s); log ${log.file}`, {
      pid: process.pid,
      plans: plans.map(([name, p]) => ({ name, schedule: p.schedule })),
    });
    if (served) log.info(`metrics on http://${served.address}/metrics and /healthz`, { metrics: served.address });
    if (plans.length === 0) {
      log.warn('no plan has a schedule yet: add one with `lifeboat plan set <plan> --schedule daily@03:00`');
    }
    let loginCheckAt = 0;
    let loginCheck: Promise<void> | undefined;
    while (!abort.signal.aborted) {
      if (!loginCheck && Date.now() >= loginCheckAt) {
        loginCheckAt = Date.now() + (options.loginCheckMs ?? 3_600_000);
        loginCheck = notifyExpiringLogins(s, state, log, save)
          .catch((error) => log.error(`checking sign-ins failed: ${describeError(error)}`))
          .finally(() => {
            loginCheck = undefined;
          });
      }
      let config: Record<string, PlanConfig> = {};
      try {
        config = s.config.read().plans;
      } catch (error) {
        log.error(`cannot read the config: ${describeError(error)}`);
      }
      for (const [name, plan] of Object.entries(config)) {
        if (abort.signal.aborted) break;
        try {
          const backup = plan.schedule && !inFlight.has(name) ? schedule(name, plan.schedule) : undefined;
          if (backup) startIfDue(name, backup);
          const scrub = plan.scrub && !inFlight.has(`scrub:${name}`) ? schedule(name, plan.scrub.schedule) : undefined;
          if (scrub && plan.scrub) startScrubIfDue(name, scrub, plan.scrub.samplePercent);
        } catch (error) {
          // One plan's trouble (state file, catalog) must not stop the others' schedules.
          log.error(`plan "${name}": ${describeError(error)}`, { plan: name });
        }
      }
      // Wakes early on SIGTERM; removes its abort listener each tick (no listener pile-up in a long-lived process).
      await sleep(options.tickMs ?? 1000, undefined, { signal: abort.signal }).catch(() => {});
    }
    await Promise.allSettled([...inFlight.values(), loginCheck]);
    log.info('daemon stopped');
    return 0;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    unmark();
    served?.server.close();
    served?.server.closeAllConnections();
  }

  function startIfDue(name: string, backup: Schedule) {
    const ps = planState(state, name);
    const lastStarted = s.catalog().lastRuns(name, 1)[0]?.startedAt;
    const last = [ps.lastRunAt, lastStarted]
      .filter((x) => x !== undefined)
      .sort()
      .at(-1);
    const now = new Date();
    const due = dueRun(backup, { now, ...(last ? { lastRunAt: new Date(last) } : {}) });
    if (!due.due) return;
    ps.lastRunAt = now.toISOString();
    if (ps.needsLogin) {
      const success = s.catalog().lastSuccess(name);
      if (!success || success.startedAt <= ps.needsLogin.since) {
        log.warn(
          `plan "${name}" skipped: needs login: run \`lifeboat login ${ps.needsLogin.sources.join('`, `lifeboat login ')}\``,
          {
            plan: name,
            skipped: 'needs-login',
          },
        );
        save();
        return;
      }
      delete ps.needsLogin; // a run succeeded since (after `lifeboat login`): back to normal
    }
    save();
    inFlight.set(
      name,
      runOnce(s, name, due, state, log, abort.signal, save).finally(() => inFlight.delete(name)),
    );
  }

  function startScrubIfDue(name: string, scrub: Schedule, samplePercent: number) {
    const ps = planState(state, name);
    const now = new Date();
    if (!ps.lastScrubAt) {
      ps.lastScrubAt = now.toISOString(); // a read-back check is heavy: the first one waits for its first slot
      save();
      return;
    }
    if (!dueRun(scrub, { now, lastRunAt: new Date(ps.lastScrubAt) }).due) return;
    ps.lastScrubAt = now.toISOString();
    save();
    const key = `scrub:${name}`;
    log.info(`scrub of "${name}" started (${samplePercent}% sample)`, { plan: name, scrub: 'started' });
    inFlight.set(
      key,
      runScrub(s.verify, name, samplePercent, abort.signal, log)
        .then((r) =>
          log.info(`scrub of "${name}" finished: ${r.ok ? 'ok' : 'problems found'}`, { plan: name, scrub: r }),
        )
        .catch((error) => log.error(`scrub of "${name}" failed: ${describeError(error)}`, { plan: name }))
        .finally(() => inFlight.delete(key)),
    );
  }
}

async function runOnce(
  s: DaemonServices,
  name: string,
  due: ReturnType<typeof dueRun>,
  state: DaemonState,
  log: DaemonLog,
  signal: AbortSignal,
  save: () => void,
): Promise<void> {
  const slot = due.slot?.toISOString();
  log.info(
    `run of "${name}" started${due.missed > 1 ? ` (catching up ${due.missed} missed slots with one run)` : ''}`,
    {
      plan: name,
      run: 'started',
      slot,
      missed: due.missed,
    },
  );
  try {
    const summary = await s.runner.run(name, {
      signal,
      onNotified: (event, outcomes) =>
        log.info(`notified ${event.type}: ${outcomes.map((o) => `${o.target} ${o.ok ? 'ok' : o.detail}`).join('; ')}`, {
          plan: name,
          notified: event.type,
          outcomes,
        }),
    });
    const login = [...new Set(summary.failures.filter((f) => isLoginRequired(f.code)).map((f) => f.source ?? '?'))];
    log.info(`run of "${name}" finished: ${summary.aborted ? 'stopped' : summary.ok ? 'ok' : 'with problems'}`, {
      plan: name,
      run: 'finished',
      slot,
      runId: summary.runId,
      ok: summary.ok,
      aborted: summary.aborted,
      filesCopied: summary.filesCopied,
      failures: summary.failures.length,
      durationMs: summary.durationMs,
    });
    const ps = planState(state, name);
    if (login.length > 0) {
      ps.needsLogin = { since: new Date().toISOString(), sources: login };
      log.warn(`plan "${name}" paused: needs login: run \`lifeboat login ${login.join('`, `lifeboat login ')}\``, {
        plan: name,
        needsLogin: login,
      });
    } else if (summary.ok) delete ps.needsLogin;
    save();
  } catch (error) {
    if (error instanceof LockedError) {
      log.info(`run of "${name}" skipped: ${error.message}`, { plan: name, run: 'skipped', slot });
      return;
    }
    const code = error instanceof LifeboatError ? error.code : 'LIFEBOAT_ERROR';
    log.error(`run of "${name}" could not start: ${describeError(error)}`, { plan: name, run: 'error', code });
  }
}
