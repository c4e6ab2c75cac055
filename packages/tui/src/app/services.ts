import type { ConfigStore, LifeboatConfig } from '@lifeboat/core';
import { BrowseService } from './browse.js';
import { DashboardService } from './dashboard.js';
import { DestinationFacts } from './destination-facts.js';
import { inject, injectable } from './di.js';
import { DryRunService } from './dry-run.js';
import { HealthService } from './health.js';
import { InstanceEditService } from './instance-edit.js';
import { InstanceService } from './instances.js';
import { OffloadService } from './offload.js';
import { PassphraseBroker } from './passphrase.js';
import { PlanRunner } from './plan-run.js';
import { PlanService } from './plans.js';
import { PluginAdmin } from './plugin-admin.js';
import { RepairService } from './repair.js';
import { RunsService } from './runs.js';
import { ScheduleService } from './schedule.js';
import { SignInService } from './sign-in.js';
import { SourceBrowseService } from './source-browse.js';
import { SourceOptionsService } from './source-options.js';
import { TOKENS } from './tokens.js';
import { VerifyService } from './verify.js';

/** Every service the terminal UI uses, handed to it whole by the composition root. */
@injectable()
export class AppServices {
  constructor(
    @inject(TOKENS.config) private readonly store: ConfigStore,
    @inject(DashboardService) readonly dashboard: DashboardService,
    @inject(HealthService) readonly health: HealthService,
    @inject(InstanceService) readonly instances: InstanceService,
    @inject(InstanceEditService) readonly edit: InstanceEditService,
    @inject(SignInService) readonly signIn: SignInService,
    @inject(SourceOptionsService) readonly sourceOptions: SourceOptionsService,
    @inject(DestinationFacts) readonly destinations: DestinationFacts,
    @inject(PluginAdmin) readonly plugins: PluginAdmin,
    @inject(PlanService) readonly plans: PlanService,
    @inject(DryRunService) readonly dryRun: DryRunService,
    @inject(PlanRunner) readonly runner: PlanRunner,
    @inject(BrowseService) readonly browse: BrowseService,
    @inject(SourceBrowseService) readonly sourceBrowse: SourceBrowseService,
    @inject(ScheduleService) readonly schedule: ScheduleService,
    @inject(PassphraseBroker) readonly passphrase: PassphraseBroker,
    @inject(RunsService) readonly runs: RunsService,
    @inject(VerifyService) readonly verify: VerifyService,
    @inject(RepairService) readonly repair: RepairService,
    @inject(OffloadService) readonly offload: OffloadService,
  ) {}

  /** The configuration as it is now (sources, destinations, plans). */
  config(): LifeboatConfig {
    return this.store.read();
  }
}
