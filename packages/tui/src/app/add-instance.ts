import {
  type ContributionKind,
  encryptionSecrets,
  type InstanceConfig,
  initializeDestination,
  NAME_PATTERN,
  type Settings,
  UsageError,
  validateLayout,
  validateSettings,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { contextFor, pluginHost, resolveConfig, resolveSecrets } from '../container.js';
import { createInstance, normalizePaths } from '../state/instances.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/** A source or destination whose name and settings passed every check that needs no I/O. */
export interface PreparedInstance {
  kind: ContributionKind;
  name: string;
  instance: InstanceConfig;
  /** The secrets its plugin declares (each must be given to commitInstance). */
  secrets: string[];
}

/** Checks the name (valid, not taken) and the settings against the plugin's schema; writes nothing. */
export async function prepareInstance(
  c: DependencyContainer,
  kind: ContributionKind,
  type: string,
  name: string,
  given: Settings,
  secretKeys?: string[],
): Promise<PreparedInstance> {
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError(`"${name}" is not a valid ${kind} name`, {
      hint: 'Use letters, digits, dot, dash or underscore (up to 64), starting with a letter or digit',
    });
  }
  if (resolveConfig(c).read()[plural(kind)][name]) {
    throw new UsageError(`A ${kind} named "${name}" already exists`, {
      hint: `Pick another name, or see \`lifeboat ${kind} list\``,
    });
  }
  const { contribution } = (await pluginHost(c)).contribution(kind, type);
  const settings = normalizePaths(contribution, validateSettings(kind, contribution, given));
  const keys = secretKeys ?? [...(contribution.secrets ?? []), ...encryptionSecrets(settings).required];
  return { kind, name, instance: { type, settings, ...(keys.length > 0 ? { secrets: keys } : {}) }, secrets: keys };
}

/**
 * Stores the secrets, proves the instance works (a destination is initialised and described, a source without
 * sign-in lists its first entry), then saves it. Secrets are taken back when the check fails. Returns what to
 * tell the user.
 */
export async function commitInstance(
  c: DependencyContainer,
  prepared: PreparedInstance,
  secretValues: Readonly<Record<string, string>>,
  signal: AbortSignal = new AbortController().signal,
): Promise<string[]> {
  const { kind, name, instance } = prepared;
  const host = await pluginHost(c);
  const ctx = await contextFor(c, kind, name, instance.type, signal);
  const said: string[] = [];
  for (const key of prepared.secrets) await ctx.secrets.set(key, secretValues[key] ?? '');
  try {
    if (kind === 'destination') {
      const destination = await createInstance(host, 'destination', name, instance, ctx);
      validateLayout((await destination.describe()).layout); // any plugin's layout, before anything is written
      const marker = await initializeDestination(destination, name, new Date().toISOString());
      instance.markerId = marker.id; // later uses refuse another backup found at this location
      const d = await destination.describe();
      said.push(`Destination "${name}" ready at ${d.location} (${d.mediumKind}${d.offsite ? ', offsite' : ''}).`);
    } else {
      const source = await createInstance(host, 'source', name, instance, ctx);
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
    for (const key of prepared.secrets) await ctx.secrets.delete(key).catch(() => {});
    throw error;
  }
  if (prepared.secrets.length > 0) {
    said.push(`Its secrets (${prepared.secrets.join(', ')}) are in ${resolveSecrets(c).describe()}.`);
  }
  const store = resolveConfig(c);
  const config = store.read();
  config[plural(kind)][name] = instance;
  store.write(config);
  return said;
}
