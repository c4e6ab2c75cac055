import type { ConfigStore, LifeboatConfig } from '@lifeboat/core';
import { DashboardService } from './dashboard.js';
import { inject, injectable } from './di.js';
import { HealthService } from './health.js';
import { TOKENS } from './tokens.js';

/** Every service the terminal UI uses, handed to it whole by the composition root. */
@injectable()
export class AppServices {
  constructor(
    @inject(TOKENS.config) private readonly store: ConfigStore,
    @inject(DashboardService) readonly dashboard: DashboardService,
    @inject(HealthService) readonly health: HealthService,
  ) {}

  /** The configuration as it is now (sources, destinations, plans). */
  config(): LifeboatConfig {
    return this.store.read();
  }
}
