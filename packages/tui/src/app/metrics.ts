import type { Catalog, ConfigStore, RunSummary } from '@lifeboat/core';
import { Gauge, Registry } from 'prom-client';
import { CheckService } from './check.js';
import { folderFacts } from './destination-facts.js';
import { inject, injectable } from './di.js';
import { HealthService } from './health.js';
import { ScheduleActivityService } from './schedule-activity.js';
import { type Lazy, TOKENS } from './tokens.js';

/** How long one destination or source probe may take during a scrape (a scrape must answer, even if slowly). */
const PROBE_MS = 10_000;

/**
 * Prometheus metrics for a headless box (`lifeboat daemon --metrics`), read fresh from the catalog and config on
 * every scrape, so they agree with `lifeboat status` whichever process ran the plans. prom-client renders the
 * exposition format; a registry per scrape keeps removed plans and destinations from lingering as stale series.
 */
@injectable()
export class MetricsService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(HealthService) private readonly health: HealthService,
    @inject(CheckService) private readonly checks: CheckService,
    @inject(ScheduleActivityService) private readonly activity: ScheduleActivityService,
  ) {}

  readonly contentType = new Registry().contentType;

  async metrics(): Promise<string> {
    const registry = new Registry();
    const gauge = (name: string, help: string, labelNames: string[]) =>
      new Gauge({ name: `lifeboat_${name}`, help, labelNames, registers: [registry] });
    const lastRun = gauge('plan_last_run_timestamp_seconds', 'When the latest finished run of the plan ended', [
      'plan',
    ]);
    const lastOk = gauge('plan_last_run_success', '1 when the latest finished run succeeded, 0 otherwise', [
      'plan',
      'state',
    ]);
    const lastSuccess = gauge('plan_last_success_timestamp_seconds', 'When the plan last ran successfully', ['plan']);
    const files = gauge('plan_last_run_files_copied', 'Files copied by the latest finished run', ['plan']);
    const bytes = gauge('plan_last_run_bytes_copied', 'Bytes copied by the latest finished run', ['plan']);
    const errors = gauge('plan_last_run_errors', 'Failures recorded by the latest finished run', ['plan']);
    const scheduled = gauge('plan_schedule_active', '1 when the daemon or the OS scheduler runs the schedule', [
      'plan',
    ]);
    const assets = gauge('destination_assets', 'Assets with a copy on the destination', ['destination']);
    const held = gauge('destination_bytes', 'Bytes of the copies on the destination', ['destination']);
    const up = gauge('destination_up', '1 when the destination is reachable and carries its marker', ['destination']);
    const free = gauge('destination_free_bytes', 'Free space where a folder destination lives', ['destination']);
    const signIn = gauge('source_days_since_login', 'Days since the source last signed in (iCloud)', ['source']);
    const config = this.config.read();
    const catalog = this.catalog();
    for (const [name, plan] of Object.entries(config.plans)) {
      const last = catalog.lastRuns(name, 5).find((r) => r.finishedAt !== undefined);
      if (last?.finishedAt) {
        const summary = last.summary as Partial<RunSummary> | undefined;
        const state = summary?.aborted ? 'stopped' : last.ok ? 'ok' : 'failed';
        lastRun.set({ plan: name }, Date.parse(last.finishedAt) / 1000);
        lastOk.set({ plan: name, state }, last.ok ? 1 : 0);
        files.set({ plan: name }, last.filesCopied);
        bytes.set({ plan: name }, last.bytesCopied);
        errors.set({ plan: name }, summary?.failures?.length ?? 0);
      }
      const success = catalog.lastSuccess(name)?.finishedAt;
      if (success) lastSuccess.set({ plan: name }, Date.parse(success) / 1000);
      scheduled.set({ plan: name }, plan.schedule && this.activity.of(name).active ? 1 : 0);
    }
    const counts = catalog.copyCounts();
    for (const [name, d] of Object.entries(config.destinations)) {
      const n = counts.find((x) => x.destination === name);
      assets.set({ destination: name }, n?.assets ?? 0);
      held.set({ destination: name }, n?.bytes ?? 0);
      up.set({ destination: name }, (await this.health.destinationReachable(config, name, PROBE_MS)) ? 0 : 1);
      const path = d.settings.path;
      const facts = typeof path === 'string' ? folderFacts(path) : undefined;
      if (facts) free.set({ destination: name }, facts.freeBytes);
    }
    for (const name of Object.keys(config.sources)) {
      const h = await this.health.sourceHealth(config, name, PROBE_MS);
      if (h?.daysSinceLogin !== undefined) signIn.set({ source: name }, h.daysSinceLogin);
    }
    return registry.metrics();
  }

  /** What `lifeboat check` says: healthy, or its problems (for /healthz). */
  async healthy(): Promise<{ ok: boolean; problems: string[] }> {
    const result = await this.checks.check({ maxAgeMs: 26 * 3_600_000, maxAgeText: '26h', deadlineMs: PROBE_MS });
    return { ok: result.problems.length === 0, problems: result.problems.map((p) => p.message) };
  }
}
