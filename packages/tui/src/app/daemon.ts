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
import {
  type DaemonState,
  daemonStateFile,
  planState,
  readDaemonState,
  writeDaemonState,
} from '../state/daemon-state.js';
import type { DaemonLog } from './daemon-log.js';
import { notifyExpiringLogins } from './daemon-logins.js';
import { offloadAfterRun } from './daemon-offload.js';
import { DaemonServices } from './daemon-services.js';
import { inject, injectable } from './di.js';

/** The daemon's scheduled scrub, as the caller wants its report written (the CLI renders it into the log). */
export type ScrubRunner = (plan: string, samplePercent: number, signal: AbortSignal) => Promise<{ ok: boolean }>;

export interface DaemonOptions {
  /** Where the daemon reports what it does (the CLI gives it daemon.log, echoed to stderr). */
  log: DaemonLog;
  /** Stops the loop: in-flight runs are abandoned cleanly and recorded as stopped, then `run` resolves. */
  signal: AbortSignal;
  /** Runs a plan's scheduled read-back check. */
  scrub: ScrubRunner;
  /** How often due plans are looked for (ms); schedules finer than this run late by up to one tick. */
  tickMs?: number;
  /** How often sources' sign-ins are checked for an upcoming expiry (ms, default hourly). */
  loginCheckMs?: number;
}

/**
 * The schedules daemon's loop: runs each plan when its schedule says, one run per plan at a time (the plan lock is
 * shared with `lifeboat run`), catches up a missed run once after sleep or downtime, scrubs on the plan's scrub
 * schedule, warns ahead of sign-in expiry, and pauses a plan that needs a login until a run succeeds again. It stops
 * when `signal` aborts, after every in-flight run has been recorded.
 */
@injectable()
export class DaemonService {
  constructor(@inject(DaemonServices) private readonly s: DaemonServices) {}

  /** Where the daemon's log belongs. */
  get logsDir(): string {
    return this.s.paths.logsDir;
  }

  /** Where this home keeps its state (the daemon's presence file among it). */
  get paths() {
    return this.s.paths;
  }

  async run(options: DaemonOptions): Promise<void> {
    const { log, signal } = options;
    const s = this.s;
    const stateFile = daemonStateFile(s.paths);
    const state = readDaemonState(stateFile);
    const save = () => writeDaemonState(stateFile, state);
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
    const plans = Object.entries(s.config.read().plans).filter(([, p]) => p.schedule);
    log.info(`daemon started (pid ${process.pid}): ${plans.length} scheduled plan(s); log ${log.file}`, {
      pid: process.pid,
      plans: plans.map(([name, p]) => ({ name, schedule: p.schedule })),
    });
    if (plans.length === 0) {
      log.warn('no plan has a schedule yet: add one with `lifeboat plan set <plan> --schedule daily@03:00`');
    }
    let loginCheckAt = 0;
    let loginCheck: Promise<void> | undefined;
    while (!signal.aborted) {
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
        if (signal.aborted) break;
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
      await sleep(options.tickMs ?? 1000, undefined, { signal }).catch(() => {});
    }
    await Promise.allSettled([...inFlight.values(), loginCheck]);
    log.info('daemon stopped');

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
        runOnce(s, name, due, state, log, signal, save).finally(() => inFlight.delete(name)),
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
        options
          .scrub(name, samplePercent, signal)
          .then((r) =>
            log.info(`scrub of "${name}" finished: ${r.ok ? 'ok' : 'problems found'}`, { plan: name, scrub: r }),
          )
          .catch((error) => log.error(`scrub of "${name}" failed: ${describeError(error)}`, { plan: name }))
          .finally(() => inFlight.delete(key)),
      );
    }
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
    const plan = s.config.read().plans[name];
    if (summary.ok && !summary.aborted && plan) await offloadAfterRun(s, name, plan, log, signal);
  } catch (error) {
    if (error instanceof LockedError) {
      log.info(`run of "${name}" skipped: ${error.message}`, { plan: name, run: 'skipped', slot });
      return;
    }
    const code = error instanceof LifeboatError ? error.code : 'LIFEBOAT_ERROR';
    log.error(`run of "${name}" could not start: ${describeError(error)}`, { plan: name, run: 'error', code });
  }
}
