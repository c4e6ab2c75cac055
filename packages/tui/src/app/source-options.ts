import { type ConfigStore, type ContributionManifest, type Settings, validateSettings } from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** One on/off choice of what a source backs up (e.g. iCloud's Live Photo videos, RAW, edits, Recently Deleted). */
export interface IncludeFlag {
  key: string;
  description: string;
  on: boolean;
}

interface Schema {
  type?: string;
  default?: unknown;
  description?: string;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
}

/**
 * The "what to include" flags a source's settings schema declares (an `include` object of booleans, as the iCloud
 * plugin has), with their current values; empty when the source has none. Read from the manifest, so any
 * plugin that declares such flags gets the same choices.
 */
export function includeFlags(contribution: ContributionManifest, settings: Settings): IncludeFlag[] {
  const include = (contribution.settings as Schema).properties?.include;
  const object = [include, ...(include?.anyOf ?? [])].find((s) => s?.type === 'object' && s.properties);
  if (!include || !object?.properties) return [];
  const given = settings.include;
  return Object.entries(object.properties)
    .filter(([, p]) => p.type === 'boolean')
    .map(([key, p]) => ({
      key,
      description: p.description ?? key,
      on: flagValue(given, key, p.default === true),
    }));
}

/** The flag's value from either form the plugin accepts: an object of flags, or a list of the flags that are on. */
function flagValue(given: unknown, key: string, fallback: boolean): boolean {
  if (typeof given === 'string') return given !== 'none' && given.split(',').includes(key);
  if (Array.isArray(given)) return given.includes(key);
  if (given && typeof given === 'object' && key in given) return (given as Record<string, unknown>)[key] === true;
  return fallback;
}

/** What each configured source backs up. */
@injectable()
export class SourceOptionsService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Every configured source's include flags (sources without any are left out). */
  async all(): Promise<Record<string, IncludeFlag[]>> {
    const host = await this.plugins.host();
    const out: Record<string, IncludeFlag[]> = {};
    for (const [name, s] of Object.entries(this.config.read().sources)) {
      const flags = includeFlags(host.contribution('source', s.type).contribution, s.settings);
      if (flags.length > 0) out[name] = flags;
    }
    return out;
  }

  /** Saves a source's include flags, checked against its plugin's schema first. */
  async set(source: string, flags: IncludeFlag[]): Promise<void> {
    const store = this.config;
    const config = store.read();
    const instance = config.sources[source];
    if (!instance) return;
    const { contribution } = (await this.plugins.host()).contribution('source', instance.type);
    const settings = { ...instance.settings, include: Object.fromEntries(flags.map((f) => [f.key, f.on])) };
    validateSettings('source', contribution, settings);
    config.sources[source] = { ...instance, settings };
    store.write(config);
  }
}
