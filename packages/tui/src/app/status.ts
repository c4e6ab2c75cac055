import { type Catalog, type ConfigStore, type SourceHealth, splitEncryption } from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { HealthService, type PlanHealth } from './health.js';
import { type ScheduleActivity, ScheduleActivityService } from './schedule-activity.js';
import { type Lazy, TOKENS } from './tokens.js';

export interface StatusReport {
  destinations: { name: string; type: string; encryption: string; assets: number; copies: number; bytes: number }[];
  plans: ({
    name: string;
    sources: string[];
    destinations: string[];
    schedule: string | null;
    /** Whether the daemon or the OS scheduler will run the schedule (null without one). */
    scheduleActivity: ScheduleActivity | null;
  } & PlanHealth)[];
  /** Sign-in health (iCloud: days since the last two-factor sign-in), for sources that report it. */
  sources: ({ name: string; type: string; daysSinceLogin?: number } & SourceHealth)[];
  goneFromSource: {
    count: number;
    assets: {
      source: string;
      assetId: string;
      fileName: string;
      firstMissingAt: string;
      lastSeenAt: string;
      inSourceTrash: boolean;
      purgeAt?: string;
    }[];
  };
  /** Per source: the photos `offload` moved to its trash, kept safe on the destinations. */
  offloaded: ReturnType<Catalog['offloadTotals']>;
}

/** What each destination holds, each plan's last runs, and what vanished from the sources. */
@injectable()
export class StatusService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(HealthService) private readonly health: HealthService,
    @inject(ScheduleActivityService) private readonly activity: ScheduleActivityService,
  ) {}

  async report(): Promise<StatusReport> {
    const config = this.config.read();
    const catalog = this.catalog();
    const counts = catalog.copyCounts();
    const destinations = Object.keys(config.destinations).map((name) => {
      const n = counts.find((x) => x.destination === name);
      return {
        name,
        type: config.destinations[name]!.type,
        // Encrypted copies are readable only with the password (or rclone with it): say which ones are.
        encryption: splitEncryption(config.destinations[name]!.settings).encryption?.scheme ?? 'none',
        assets: n?.assets ?? 0,
        copies: n?.copies ?? 0,
        bytes: n?.bytes ?? 0,
      };
    });
    const plans = Object.entries(config.plans).map(([name, p]) => ({
      name,
      sources: p.sources,
      destinations: p.destinations,
      schedule: p.schedule ?? null,
      scheduleActivity: p.schedule ? this.activity.of(name) : null,
      ...this.health.planHealth(name, p.schedule),
    }));
    const sources: StatusReport['sources'] = [];
    for (const [name, s] of Object.entries(config.sources)) {
      const health = await this.health.sourceHealth(config, name);
      if (health) sources.push({ name, type: s.type, ...health });
    }
    const gone = catalog.goneAssets();
    return {
      destinations,
      plans,
      sources,
      goneFromSource: {
        count: gone.length,
        assets: gone.map((g) => ({
          source: g.source,
          assetId: g.assetId,
          fileName: g.fileName,
          firstMissingAt: g.firstMissingAt,
          lastSeenAt: g.lastSeenAt,
          inSourceTrash: g.inSourceTrash,
          ...(g.purgeAt ? { purgeAt: g.purgeAt } : {}),
        })),
      },
      offloaded: catalog.offloadTotals(),
    };
  }
}
