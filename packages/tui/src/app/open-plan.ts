import { ConfigError, type ConfigStore, type Destination, type PlanConfig, type Source } from '@lifeboat/core';
import { rememberMarkerId } from '../state/instances.js';
import { refuseNestedFolders } from '../state/nesting.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

export interface OpenPlan {
  name: string;
  config: PlanConfig;
  sources: { name: string; source: Source; maxConcurrency?: number }[];
  destinations: { name: string; destination: Destination }[];
}

/**
 * Loads a plan and creates its source and destination instances through the plugin host. They are created side
 * by side: one plugin's import overlaps another's wait (a vault's key derivation, a keychain call), which takes
 * a tenth of a second or more off every run. If any fails, those already made are closed and the first failure,
 * in the plan's order, is thrown.
 */
@injectable()
export class PlanOpener {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  async open(name: string, signal: AbortSignal, options: { checksum?: boolean } = {}): Promise<OpenPlan> {
    const config = this.config.read();
    const plan = config.plans[name];
    if (!plan) {
      throw new ConfigError(`No plan named "${name}"`, {
        hint: `Known plans: ${Object.keys(config.plans).join(', ') || '(none)'}; add one with \`lifeboat plan add\``,
      });
    }
    const host = await this.plugins.host();
    refuseNestedFolders(host, config, plan); // a config edited by hand, or a plan added before this check
    const configured = <T>(kind: 'source' | 'destination', names: string[], all: Record<string, T>) =>
      names.map((n) => {
        const cfg = all[n];
        if (!cfg)
          throw new ConfigError(`Plan "${name}" uses ${kind} "${n}", which is not configured`, {
            hint: 'Add it, or fix the plan',
          });
        return [n, cfg] as const;
      });
    const sourceConfigs = configured('source', plan.sources, config.sources);
    const destinationConfigs = configured('destination', plan.destinations, config.destinations);

    const sources = sourceConfigs.map(async ([s, configured]) => {
      // --checksum: this run only, for sources that declare the setting (a folder); others' versions follow content.
      const props = host.contribution('source', configured.type).contribution.settings.properties as object | undefined;
      const declares = props !== undefined && 'checksum' in props;
      const cfg =
        options.checksum && declares
          ? { ...configured, settings: { ...configured.settings, checksum: true } }
          : configured;
      const source = await this.plugins.open('source', s, cfg, signal);
      return { name: s, source, ...(cfg.maxConcurrency ? { maxConcurrency: cfg.maxConcurrency } : {}) };
    });
    const destinations = destinationConfigs.map(async ([d, cfg]) => {
      // A destination added before marker ids were kept records its id on first use; later uses check it.
      const remember = (id: string) => rememberMarkerId(this.config, d, id);
      return { name: d, destination: await this.plugins.open('destination', d, cfg, signal, remember) };
    });
    const [madeSources, madeDestinations] = await Promise.all([
      Promise.allSettled(sources),
      Promise.allSettled(destinations),
    ]);
    const failed = [...madeSources, ...madeDestinations].find((r) => r.status === 'rejected');
    if (failed) {
      for (const r of madeSources) if (r.status === 'fulfilled') await r.value.source.close?.().catch(() => {});
      for (const r of madeDestinations)
        if (r.status === 'fulfilled') await r.value.destination.close?.().catch(() => {});
      throw failed.reason;
    }
    const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
    return { name, config: plan, sources: madeSources.map(value), destinations: madeDestinations.map(value) };
  }
}
