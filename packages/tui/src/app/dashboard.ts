import type { Catalog, ConfigStore, RuleEvaluation, RunSummary, VanishedRecord } from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { HealthService } from './health.js';
import { type ScheduleActivity, ScheduleActivityService } from './schedule-activity.js';
import { type Lazy, TOKENS } from './tokens.js';

export type Health = 'ok' | 'warn' | 'bad';

export interface PlanState {
  name: string;
  sources: string[];
  destinations: string[];
  lastRun?: { id: number; at: string; ok: boolean; stopped: boolean; filesCopied: number; reason?: string };
  lastSuccess?: string;
  /** The schedule spec, and when it runs next (ISO), when the plan has one. */
  schedule?: string;
  nextRun?: string;
  /** Whether anything (the daemon, the OS scheduler) will run the schedule. */
  scheduleActivity?: ScheduleActivity;
  /** Sources whose sign-in stopped the latest run: `lifeboat login <source>` is needed. */
  needsLogin: string[];
  health: Health;
  /** The health in words (never colour alone). */
  healthWords: string;
  evaluation?: RuleEvaluation;
}

export interface DestinationState {
  name: string;
  type: string;
  assets: number;
  copies: number;
  bytes: number;
  /** Every copy here was read back and matched its sha256 at or after this time (its least recently checked copy). */
  verifiedSince?: string;
}

export interface GoneState {
  count: number;
  /** Of those, how many have at least one copy on a destination. */
  kept: number;
  /** On how many destinations copies of them are. */
  destinations: number;
  assets: VanishedRecord[];
}

export interface Dashboard {
  sources: { name: string; type: string }[];
  plans: PlanState[];
  destinations: DestinationState[];
  gone: GoneState;
  /** Nothing configured yet: the first-run wizard is the place to start. */
  empty: boolean;
}

/** What the home screen shows. */
@injectable()
export class DashboardService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(HealthService) private readonly health: HealthService,
    @inject(ScheduleActivityService) private readonly activity: ScheduleActivityService,
  ) {}

  /** Read from the config and the catalog (no plugin is loaded, nothing is written). */
  load(): Dashboard {
    const config = this.config.read();
    const catalog = this.catalog();
    const counts = catalog.copyCounts();
    const destinations = Object.entries(config.destinations).map(([name, d]) => {
      const n = counts.find((x) => x.destination === name);
      let verifiedSince: string | undefined;
      for (const copy of catalog.copiesOn(name))
        if (!verifiedSince || copy.verifiedAt < verifiedSince) verifiedSince = copy.verifiedAt;
      return {
        name,
        type: d.type,
        assets: n?.assets ?? 0,
        copies: n?.copies ?? 0,
        bytes: n?.bytes ?? 0,
        ...(verifiedSince ? { verifiedSince } : {}),
      };
    });
    const plans = Object.entries(config.plans).map(([name, p]): PlanState => {
      const last = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
      const success = catalog.lastSuccess(name);
      const summary = (last?.summary ?? success?.summary) as Partial<RunSummary> | undefined;
      const reason = summary?.failures?.[0]?.message ?? summary?.destinations?.find((d) => d.error)?.error?.message;
      const evaluation = summary?.evaluation;
      const health = this.health.planHealth(name, p.schedule);
      const state: PlanState = {
        name,
        needsLogin: health.needsLogin.map((l) => l.source),
        ...(p.schedule ? { schedule: p.schedule, scheduleActivity: this.activity.of(name) } : {}),
        ...(health.nextRun ? { nextRun: health.nextRun } : {}),
        sources: p.sources,
        destinations: p.destinations,
        health: 'ok',
        healthWords: 'OK',
        ...(success?.finishedAt ? { lastSuccess: success.finishedAt } : {}),
        ...(evaluation ? { evaluation } : {}),
      };
      if (last?.finishedAt) {
        state.lastRun = {
          id: last.runId,
          at: last.finishedAt,
          ok: last.ok === true,
          stopped: (last.summary as Partial<RunSummary> | undefined)?.aborted === true,
          filesCopied: last.filesCopied,
          ...(reason && last.ok !== true ? { reason } : {}),
        };
      }
      if (!state.lastRun) [state.health, state.healthWords] = ['warn', 'NOT RUN YET'];
      else if (state.needsLogin.length > 0) [state.health, state.healthWords] = ['bad', 'NEEDS SIGN-IN'];
      else if (state.lastRun.stopped) [state.health, state.healthWords] = ['warn', 'STOPPED'];
      else if (!state.lastRun.ok) [state.health, state.healthWords] = ['bad', 'FAILED'];
      else if (evaluation && !evaluation.ok) [state.health, state.healthWords] = ['warn', '3-2-1 NOT MET'];
      return state;
    });
    return {
      sources: Object.entries(config.sources).map(([name, s]) => ({ name, type: s.type })),
      plans,
      destinations,
      gone: this.gone(Object.keys(config.destinations)),
      empty: Object.keys(config.sources).length === 0 && Object.keys(config.destinations).length === 0,
    };
  }

  /** Assets gone from their sources, and whether their copies are still held (they always should be). */
  private gone(destinations: string[]): GoneState {
    const catalog = this.catalog();
    const assets = catalog.goneAssets();
    if (assets.length === 0) return { count: 0, kept: 0, destinations: 0, assets };
    const wanted = new Set(assets.map((a) => `${a.source}\u0000${a.assetId}`));
    const kept = new Set<string>();
    let holding = 0;
    for (const d of destinations) {
      let holds = false;
      for (const copy of catalog.copiesOn(d)) {
        const key = `${copy.source}\u0000${copy.assetId}`;
        if (wanted.has(key)) {
          kept.add(key);
          holds = true;
        }
      }
      if (holds) holding++;
    }
    return { count: assets.length, kept: kept.size, destinations: holding, assets };
  }

  /** Every asset gone from its source (all their copies are kept). */
  goneAssets(): VanishedRecord[] {
    return this.catalog().goneAssets();
  }
}
