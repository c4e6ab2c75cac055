import type {
  ContributionKind,
  Destination,
  InstanceConfig,
  InstanceContext,
  PluginHost,
  SecretStore,
  Source,
} from '@lifeboat/core';
import { fileLogger } from '../state/file-logger.js';
import { createInstance, instanceContext } from '../state/instances.js';
import type { StatePaths } from '../state/paths.js';
import { userPluginDirs } from '../state/user-plugins.js';
import { inject, injectable } from './di.js';
import { type Lazy, TOKENS } from './tokens.js';

/** The plugin host with every plugin registered, and configured instances created through it. */
@injectable()
export class Plugins {
  #ready: Promise<PluginHost> | undefined;

  constructor(
    @inject(TOKENS.host) private readonly plugins: PluginHost,
    @inject(TOKENS.secrets) private readonly secrets: Lazy<SecretStore>,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(TOKENS.builtinPlugins) private readonly builtins: string[],
  ) {}

  /** The host with the built-in and user plugins registered (manifests only: no plugin code is imported here). */
  host(): Promise<PluginHost> {
    this.#ready ??= this.register().catch((error: unknown) => {
      this.#ready = undefined; // a later call tries again (a user plugin folder fixed meanwhile)
      throw error;
    });
    return this.#ready;
  }

  private async register(): Promise<PluginHost> {
    if (this.plugins.list().length === 0) {
      for (const dir of this.builtins) await this.plugins.register(dir, true);
      for (const dir of await userPluginDirs(this.paths.pluginsDir)) await this.plugins.register(dir, false);
    }
    return this.plugins;
  }

  /** The context for one configured instance: its plugin's scope of secrets, its own log scope. */
  async context(kind: ContributionKind, name: string, type: string, signal: AbortSignal): Promise<InstanceContext> {
    const { pluginId } = (await this.host()).contribution(kind, type);
    return instanceContext(
      this.secrets(),
      { pluginId, kind, name },
      fileLogger(this.paths.logsDir, `${kind}:${name}`),
      signal,
    );
  }

  /** Creates an instance with a context made for it (restore names them apart: see RestoreService). */
  create(kind: 'source', name: string, config: InstanceConfig, ctx: InstanceContext): Promise<Source>;
  create(
    kind: 'destination',
    name: string,
    config: InstanceConfig,
    ctx: InstanceContext,
    onFirstSight?: (markerId: string) => void,
  ): Promise<Destination>;
  async create(
    kind: ContributionKind,
    name: string,
    config: InstanceConfig,
    ctx: InstanceContext,
    onFirstSight?: (markerId: string) => void,
  ): Promise<Source | Destination> {
    const host = await this.host();
    return kind === 'source'
      ? createInstance(host, 'source', name, config, ctx)
      : createInstance(host, 'destination', name, config, ctx, onFirstSight);
  }

  /** Creates a configured source or destination (its settings checked against its plugin's schema first). */
  open(kind: 'source', name: string, config: InstanceConfig, signal: AbortSignal): Promise<Source>;
  open(
    kind: 'destination',
    name: string,
    config: InstanceConfig,
    signal: AbortSignal,
    onFirstSight?: (markerId: string) => void,
  ): Promise<Destination>;
  async open(
    kind: ContributionKind,
    name: string,
    config: InstanceConfig,
    signal: AbortSignal,
    onFirstSight?: (markerId: string) => void,
  ): Promise<Source | Destination> {
    const ctx = await this.context(kind, name, config.type, signal);
    return kind === 'source'
      ? this.create('source', name, config, ctx)
      : this.create('destination', name, config, ctx, onFirstSight);
  }
}
