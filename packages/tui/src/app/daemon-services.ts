import type { Catalog, ConfigStore, SecretStore } from '@lifeboat/core';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { HealthService } from './health.js';
import { OffloadService } from './offload.js';
import { PlanRunner } from './plan-run.js';
import { type Lazy, TOKENS } from './tokens.js';
import { VerifyService } from './verify.js';

/** What the schedules daemon works with: runs, scrubs, offloads, sign-in checks, and the state it keeps between ticks. */
@injectable()
export class DaemonServices {
  constructor(
    @inject(TOKENS.config) readonly config: ConfigStore,
    @inject(TOKENS.catalog) readonly catalog: Lazy<Catalog>,
    @inject(TOKENS.paths) readonly paths: StatePaths,
    @inject(TOKENS.secrets) readonly secrets: Lazy<SecretStore>,
    @inject(HealthService) readonly health: HealthService,
    @inject(PlanRunner) readonly runner: PlanRunner,
    @inject(VerifyService) readonly verify: VerifyService,
    @inject(OffloadService) readonly offload: OffloadService,
  ) {}
}
