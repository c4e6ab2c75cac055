import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  CallGuard,
  ConfigError,
  type ConfigStore,
  type ContributionKind,
  type ContributionManifest,
  DEFAULT_CALL_TIMEOUT_MS,
  type Destination,
  GuardedDestination,
  GuardedSource,
  IdentityCheckedDestination,
  type InstanceConfig,
  type InstanceContext,
  type Logger,
  type PluginHost,
  type SecretScope,
  type SecretStore,
  type Settings,
  type Source,
  scopedSecrets,
  validateSettings,
} from '@lifeboat/core';

/** Settings a plugin marks `format: "path"` are made absolute when added, so later runs from any folder agree. */
export function normalizePaths(contribution: ContributionManifest, settings: Settings, cwd = process.cwd()): Settings {
  const props = (contribution.settings.properties ?? {}) as Record<string, { format?: string }>;
  const out = { ...settings };
  for (const [key, schema] of Object.entries(props)) {
    const value = out[key];
    if (schema.format !== 'path' || typeof value !== 'string') continue;
    const expanded = value === '~' ? homedir() : value.startsWith('~/') ? `${homedir()}${value.slice(1)}` : value;
    out[key] = resolve(cwd, expanded);
  }
  return out;
}

/** The context one configured instance gets: its own logger and only its own secrets. */
export function instanceContext(
  store: SecretStore,
  scope: SecretScope,
  logger: Logger,
  signal: AbortSignal,
): InstanceContext {
  return { name: scope.name, logger, secrets: scopedSecrets(store, scope), signal };
}

/** Validates a configured instance's settings against its plugin's schema and creates it through the host. */
export async function createInstance(
  host: PluginHost,
  kind: 'source',
  name: string,
  config: InstanceConfig,
  ctx: InstanceContext,
): Promise<Source>;
export async function createInstance(
  host: PluginHost,
  kind: 'destination',
  name: string,
  config: InstanceConfig,
  ctx: InstanceContext,
  onFirstSight?: (markerId: string) => void,
): Promise<Destination>;
export async function createInstance(
  host: PluginHost,
  kind: ContributionKind,
  name: string,
  config: InstanceConfig,
  ctx: InstanceContext,
  onFirstSight?: (markerId: string) => void,
): Promise<Source | Destination> {
  const { contribution } = host.contribution(kind, config.type);
  let settings: Settings;
  try {
    settings = validateSettings(kind, contribution, config.settings);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`${kind} "${name}" in the config file: ${error.message}`, { hint: error.hint });
    }
    throw error;
  }
  // Every call into the plugin, its activation included, has a deadline and gives way when the command stops.
  const guard = new CallGuard(
    `${kind} "${name}"`,
    config.callTimeoutSeconds ? config.callTimeoutSeconds * 1000 : DEFAULT_CALL_TIMEOUT_MS,
    ctx.signal,
  );
  if (kind === 'source') {
    const factory = await guard.call('activate', () => host.factory('source', config.type));
    return new GuardedSource(await guard.call('create', async () => factory.create(settings, ctx)), guard);
  }
  const factory = await guard.call('activate', () => host.factory('destination', config.type));
  const destination = new GuardedDestination(
    await guard.call('create', async () => factory.create(settings, ctx)),
    guard,
  );
  // Every configured destination is checked to be the backup it was added with before its first use.
  return new IdentityCheckedDestination(destination, {
    name,
    expectedId: config.markerId,
    ...(onFirstSight ? { onFirstSight } : {}),
  });
}

/** Records a destination's marker id in the config when none is recorded yet (added before ids were kept). */
export function rememberMarkerId(store: ConfigStore, name: string, markerId: string, replace = false): void {
  const config = store.read();
  const destination = config.destinations[name];
  if (!destination || (destination.markerId && !replace)) return;
  destination.markerId = markerId;
  store.write(config);
}
