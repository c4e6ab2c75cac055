import {
  ConfigError,
  type ConfigStore,
  type ContributionKind,
  type ContributionManifest,
  type DestinationMarker,
  encryptionSecrets,
  type InstanceConfig,
  initializeDestination,
  inspectMarker,
  NAME_PATTERN,
  requireMarker,
  type SecretStore,
  type Settings,
  UsageError,
  validateLayout,
  validateSettings,
} from '@lifeboat/core';
import { normalizePaths, rememberMarkerId } from '../state/instances.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';
import { refuseUnplugged } from './unplugged.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/** A source or destination whose name and settings passed every check that needs no I/O. */
export interface PreparedInstance {
  kind: ContributionKind;
  name: string;
  instance: InstanceConfig;
  /** The secrets to store (each must be given to commitInstance). */
  secrets: string[];
  /** Those of them the user may leave empty: an empty one is not stored, and the plugin gets undefined. */
  optionalSecrets?: string[];
}

export interface InstanceSummary {
  name: string;
  type: string;
  settings: Settings;
}

/** Throws the config error for a source or destination that is not configured. */
export function requireInstance(kind: ContributionKind, name: string, all: Record<string, unknown>) {
  if (!all[name]) {
    throw new ConfigError(`No ${kind} named "${name}"`, {
      hint: `Known ${plural(kind)}: ${Object.keys(all).join(', ') || '(none)'}; add one with \`lifeboat ${kind} add\``,
    });
  }
}

/** Adding, listing and removing configured sources and destinations. */
@injectable()
export class InstanceService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.secrets) private readonly secrets: Lazy<SecretStore>,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** What a plugin declares for a type: its settings schema, its secrets, its title. */
  async contribution(kind: ContributionKind, type: string): Promise<ContributionManifest> {
    return (await this.plugins.host()).contribution(kind, type).contribution;
  }

  /** Whether sources of this type sign in (iCloud) before they can be listed. */
  async signsIn(type: string): Promise<boolean> {
    return Boolean((await (await this.plugins.host()).factory('source', type)).login);
  }

  /** `base`, or `base-2`, `base-3`... : the first name no source (or destination) has yet. */
  uniqueName(kind: ContributionKind, base: string): string {
    const taken = this.config.read()[plural(kind)];
    if (!taken[base]) return base;
    for (let i = 2; ; i++) if (!taken[`${base}-${i}`]) return `${base}-${i}`;
  }

  /**
   * Checks the name (valid, not taken), the settings against the plugin's schema, and that a destination's path is
   * not on a drive that is unplugged (unless `create`); writes nothing.
   */
  async prepare(
    kind: ContributionKind,
    type: string,
    name: string,
    given: Settings,
    secretKeys?: string[],
    options: { create?: boolean } = {},
  ): Promise<PreparedInstance> {
    if (!NAME_PATTERN.test(name)) {
      throw new UsageError(`"${name}" is not a valid ${kind} name`, {
        hint: 'Use letters, digits, dot, dash or underscore (up to 64), starting with a letter or digit',
      });
    }
    if (this.config.read()[plural(kind)][name]) {
      throw new UsageError(`A ${kind} named "${name}" already exists`, {
        hint: `Pick another name, or see \`lifeboat ${kind} list\``,
      });
    }
    const contribution = await this.contribution(kind, type);
    const settings = normalizePaths(contribution, validateSettings(kind, contribution, given));
    if (kind === 'destination') refuseUnplugged(contribution, settings, Boolean(options.create));
    // Without a list (the terminal UI's form), every declared secret is asked for; optional ones may stay empty.
    const optional = contribution.optionalSecrets ?? [];
    const keys = secretKeys ?? [...(contribution.secrets ?? []), ...encryptionSecrets(settings).required, ...optional];
    return {
      kind,
      name,
      instance: { type, settings, ...(keys.length > 0 ? { secrets: keys } : {}) },
      secrets: keys,
      ...(optional.length > 0 ? { optionalSecrets: optional } : {}),
    };
  }

  /**
   * Stores the secrets, proves the instance works (a destination is initialised and described, a source without
   * sign-in lists its first entry), then saves it. Secrets are taken back when the check fails. Returns what to
   * tell the user.
   */
  async commit(
    prepared: PreparedInstance,
    secretValues: Readonly<Record<string, string>>,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<string[]> {
    const { kind, name } = prepared;
    const left = (key: string) => prepared.optionalSecrets?.includes(key) && !secretValues[key];
    const secrets = prepared.secrets.filter((key) => !left(key));
    const { type, settings } = prepared.instance;
    const instance: InstanceConfig = { type, settings, ...(secrets.length > 0 ? { secrets } : {}) };
    const host = await this.plugins.host();
    const ctx = await this.plugins.context(kind, name, instance.type, signal);
    const said: string[] = [];
    for (const key of secrets) await ctx.secrets.set(key, secretValues[key] ?? '');
    try {
      if (kind === 'destination') {
        const destination = await this.plugins.create('destination', name, instance, ctx);
        validateLayout((await destination.describe()).layout); // any plugin's layout, before anything is written
        const marker = await initializeDestination(destination, name, new Date().toISOString());
        instance.markerId = marker.id; // later uses refuse another backup found at this location
        const d = await destination.describe();
        said.push(`Destination "${name}" ready at ${d.location} (${d.mediumKind}${d.offsite ? ', offsite' : ''}).`);
      } else {
        const source = await this.plugins.create('source', name, instance, ctx);
        if ((await host.factory('source', instance.type)).login) {
          // A source that signs in cannot be listed before `login`, which needs it configured first.
          said.push(`Source "${name}" added. Sign in with \`lifeboat login ${name}\` before the first run.`);
        } else {
          // Reading the first entry proves the source is reachable before it is saved.
          for await (const _ of source.list({ signal })) break;
          said.push(`Source "${name}" added.`);
        }
      }
    } catch (error) {
      for (const key of secrets) await ctx.secrets.delete(key).catch(() => {});
      throw error;
    }
    if (secrets.length > 0) {
      said.push(`Its secrets (${secrets.join(', ')}) are in ${this.secrets().describe()}.`);
    }
    const config = this.config.read();
    config[plural(kind)][name] = instance;
    this.config.write(config);
    return said;
  }

  list(kind: ContributionKind): InstanceSummary[] {
    return Object.entries(this.config.read()[plural(kind)]).map(([name, i]) => ({
      name,
      type: i.type,
      settings: i.settings,
    }));
  }

  /** Forgets the configuration and the secrets only; backed-up files are never touched. */
  async remove(kind: ContributionKind, name: string): Promise<void> {
    const config = this.config.read();
    requireInstance(kind, name, config[plural(kind)]);
    const users = Object.entries(config.plans).filter(([, p]) =>
      (kind === 'source' ? p.sources : p.destinations).includes(name),
    );
    if (users.length > 0) {
      // A plan keeps at least one of each: when this is its only one, the plan itself has to go.
      const steps = users.map(([plan, p]) =>
        (kind === 'source' ? p.sources : p.destinations).length > 1
          ? `\`lifeboat plan set ${plan} --remove-${kind} ${name}\``
          : `\`lifeboat plan remove ${plan}\` (or give it another ${kind} first with \`lifeboat plan set ${plan} --add-${kind} <other>\`)`,
      );
      throw new UsageError(`${kind} "${name}" is used by plan ${users.map(([n]) => n).join(', ')}`, {
        hint: `Take it out of the plan first: ${steps.join('; ')}. Removing it never deletes backed-up files.`,
      });
    }
    const instance = config[plural(kind)][name]!;
    const { pluginId, contribution } = (await this.plugins.host()).contribution(kind, instance.type);
    // Its secrets go with it: nothing is left behind in the keychain. Types without secrets never touch it.
    if ((instance.secrets ?? []).length > 0 || (contribution.secrets ?? []).length > 0) {
      await this.secrets().deleteAll({ pluginId, kind, name }, instance.secrets ?? []);
    }
    delete config[plural(kind)][name];
    this.config.write(config);
  }

  /**
   * `destination adopt`: the backup now at the destination's location becomes the one it expects (a drive replaced
   * on purpose); without it, another backup found there is refused. Undefined when no backup is there.
   */
  async adopt(name: string): Promise<{ location: string; marker: DestinationMarker; previous?: string } | undefined> {
    const all = this.config.read().destinations;
    requireInstance('destination', name, all);
    const { markerId: previous, ...config } = all[name]!;
    const destination = await this.plugins.open('destination', name, config, new AbortController().signal);
    try {
      const location = (await destination.describe()).location;
      const state = await inspectMarker(destination);
      if (state.state === 'damaged') throw state.error;
      if (state.state === 'missing') {
        await requireMarker(destination, name); // says: not mounted
        return undefined;
      }
      rememberMarkerId(this.config, name, state.marker.id, true);
      return { location, marker: state.marker, ...(previous ? { previous } : {}) };
    } finally {
      await destination.close?.();
    }
  }
}
