import {
  type ConfigStore,
  type ContributionKind,
  type Destination,
  encryptionSecrets,
  type InstanceConfig,
  readMarker,
  type Settings,
  UsageError,
  validateSettings,
} from '@lifeboat/core';
import { normalizePaths } from '../state/instances.js';
import { inject, injectable } from './di.js';
import { requireInstance } from './instances.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';
import { refuseUnplugged } from './unplugged.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/** Changing a configured source's or destination's settings and secrets, proving the result works first. */
@injectable()
export class InstanceEditService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** The secrets `--secret` may re-ask for this instance. */
  async secretKeys(kind: ContributionKind, name: string): Promise<string[]> {
    const instance = this.instance(kind, name);
    const { contribution } = (await this.plugins.host()).contribution(kind, instance.type);
    const encrypted = encryptionSecrets(instance.settings);
    return [
      ...new Set([
        ...(instance.secrets ?? []),
        ...(contribution.secrets ?? []),
        ...(contribution.optionalSecrets ?? []),
        ...encrypted.required,
        ...encrypted.optional,
      ]),
    ];
  }

  private instance(kind: ContributionKind, name: string): InstanceConfig {
    const all = this.config.read()[plural(kind)];
    requireInstance(kind, name, all);
    return all[name]!;
  }

  /**
   * Merges `given` into the settings and stores `secretValues`, then proves the result: a destination must hold
   * the marker of the same destination (a drive that moved), a source without sign-in must list. Nothing is
   * kept when the proof fails. Returns what changed, in words.
   */
  async set(
    kind: ContributionKind,
    name: string,
    given: Settings,
    secretValues: Readonly<Record<string, string>>,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<string[]> {
    const old = this.instance(kind, name);
    if (Object.keys(given).length === 0 && Object.keys(secretValues).length === 0) {
      throw new UsageError('Nothing to change', { hint: `Give --set key=value or --secret key` });
    }
    const allowed = await this.secretKeys(kind, name);
    const onCommandLine = Object.keys(given).find((k) => allowed.includes(k));
    if (onCommandLine) {
      throw new UsageError(`"${onCommandLine}" is a secret and cannot be given with --set`, {
        hint: `Use --secret ${onCommandLine}: you will be asked for it, or it is read from standard input`,
      });
    }
    const { contribution } = (await this.plugins.host()).contribution(kind, old.type);
    const settings = normalizePaths(contribution, validateSettings(kind, contribution, { ...old.settings, ...given }));
    if (kind === 'destination') refuseUnplugged(contribution, settings, false);
    // An optional secret given for the first time joins the instance's list (so `remove` deletes it too).
    const secrets = [...new Set([...(old.secrets ?? []), ...Object.keys(secretValues)])];
    const updated: InstanceConfig = { ...old, settings, ...(secrets.length > 0 ? { secrets } : {}) };
    const ctx = await this.plugins.context(kind, name, old.type, signal);
    const previous: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(secretValues)) {
      previous[key] = await ctx.secrets.get(key);
      await ctx.secrets.set(key, value);
    }
    try {
      if (kind === 'destination') await this.sameDestination(name, old, updated, signal);
      else await this.sourceWorks(name, updated, signal);
    } catch (error) {
      for (const [key, value] of Object.entries(previous)) {
        await (value === undefined ? ctx.secrets.delete(key) : ctx.secrets.set(key, value)).catch(() => {});
      }
      throw error;
    }
    const config = this.config.read();
    config[plural(kind)][name] = updated;
    this.config.write(config);
    return [
      ...Object.keys(given).map((k) => `${k}=${JSON.stringify(settings[k])}`),
      ...Object.keys(secretValues).map((k) => `secret ${k} ${previous[k] === undefined ? 'stored' : 'replaced'}`),
    ];
  }

  /** The new location must hold the marker of this destination: else it is another drive (or none). */
  private async sameDestination(name: string, old: InstanceConfig, updated: InstanceConfig, signal: AbortSignal) {
    // Opened without the recorded marker id: the identity check here is this method's, and says more.
    const { markerId: _, ...unchecked } = updated;
    const at = await this.plugins.open('destination', name, unchecked, signal);
    const location = (await at.describe().catch(() => undefined))?.location ?? name;
    const marker = await readMarker(at).catch(() => undefined);
    const addInstead = `to start a new backup there, add it as a new destination (\`lifeboat destination add ${old.type} <new-name> --set ...\`) and swap it into the plan (\`lifeboat plan set <plan> --add-destination <new-name> --remove-destination ${name}\`)`;
    if (!marker) {
      throw new UsageError(`Refusing: ${location} holds no Lifeboat backup, so it is not destination "${name}"`, {
        hint: `Check the new location (is the drive mounted?); ${addInstead}`,
      });
    }
    const before = await this.markerOf(name, old, signal);
    const same = before ? before.id === marker.id : marker.name === name;
    if (!same) {
      throw new UsageError(
        `Refusing: ${location} holds another Lifeboat destination ("${marker.name}", id ${marker.id}), not "${name}"${before ? ` (id ${before.id})` : ''}`,
        { hint: `Point "${name}" at the location that holds its backup; ${addInstead}` },
      );
    }
  }

  /** The marker at the old location, when it can still be read (the drive may be gone: then the name must match). */
  private async markerOf(name: string, old: InstanceConfig, signal: AbortSignal) {
    try {
      const was: Destination = await this.plugins.open('destination', name, old, signal);
      return await readMarker(was);
    } catch {
      return undefined;
    }
  }

  private async sourceWorks(name: string, updated: InstanceConfig, signal: AbortSignal) {
    const host = await this.plugins.host();
    if ((await host.factory('source', updated.type)).login) return; // listing needs `lifeboat login` first
    const source = await this.plugins.open('source', name, updated, signal);
    for await (const _ of source.list({ signal })) break;
  }
}
