import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ContributionManifest,
  DestinationFactory,
  InstanceContext,
  Logger,
  PluginContributions,
  PluginModule,
  Settings,
} from '@lifeboat/plugin-api';
import {
  describeError,
  type LoadedManifest,
  PluginError,
  readManifest,
  UsageError,
  withKeyChecks,
} from '@lifeboat/plugin-api';
import { splitEncryption, withEncryption, withEncryptionSettings } from '../encryption/settings.js';
import { splitSidecars, withSidecarMode, withSidecarSetting } from '../sidecar/setting.js';
import { makeDirs } from '../util/make-dirs.js';

export type PluginState = 'active' | 'inactive' | 'failed';

export interface PluginInfo {
  id: string;
  displayName: string;
  packageName: string;
  version: string;
  dir: string;
  builtin: boolean;
  state: PluginState;
  error?: string;
  sources: string[];
  destinations: string[];
}

interface Entry {
  loaded?: LoadedManifest;
  /** What could be read of a package whose manifest was refused. */
  packageName?: string;
  version?: string;
  fallbackId?: string;
  dir: string;
  builtin: boolean;
  state: PluginState;
  error?: string;
  activation?: Promise<PluginContributions>;
}

export type ContributionKind = 'source' | 'destination';

/**
 * Where activation failures are remembered between commands: plugins activate lazily, so the command that lists
 * them (which runs no plugin code) would otherwise never know that one failed in an earlier run.
 */
export interface ActivationRecord {
  get(pluginId: string, version: string): { error: string; at: string } | undefined;
  /** `error` undefined: the plugin activated, forget an earlier failure. */
  set(pluginId: string, version: string, error: string | undefined): void;
}

/**
 * Knows every plugin by its manifest, and imports a plugin's code only when one of its contributions is used
 * (VS Code's lazy activation). A plugin that fails to load or activate is marked failed with its reason; the
 * host and the other plugins keep working.
 */
export class PluginHost {
  private readonly entries: Entry[] = [];
  private readonly disposers: (() => void | Promise<void>)[] = [];
  private readonly abort = new AbortController();
  private readonly checkedFactories = new WeakMap<DestinationFactory, DestinationFactory>();

  constructor(
    private readonly options: {
      storageRoot: string;
      logger: (pluginId: string) => Logger;
      activations?: ActivationRecord;
    },
  ) {}

  /** Registers a plugin folder; a broken manifest is recorded as a failed plugin, not thrown. */
  async register(dir: string, builtin: boolean): Promise<void> {
    try {
      const loaded = await readManifest(dir);
      if (this.entries.some((e) => e.loaded?.manifest.id === loaded.manifest.id)) {
        throw new PluginError(`Plugin id "${loaded.manifest.id}" is already taken by another plugin`, {
          hint: `Remove one of the two plugins`,
        });
      }
      this.refuseTakenTypes(loaded);
      this.entries.push({ loaded, dir, builtin, state: 'inactive' });
    } catch (error) {
      // Still named by its package (and id, when readable), so the user can see and remove it.
      const pkg = await readPackageIdentity(dir);
      this.entries.push({ dir, builtin, state: 'failed', error: describeError(error), ...pkg });
    }
  }

  /** A type another plugin (a built-in one, registered first, or an earlier one) already provides is refused. */
  private refuseTakenTypes(loaded: LoadedManifest): void {
    for (const kind of ['source', 'destination'] as const) {
      const types =
        (kind === 'source' ? loaded.manifest.contributes.sources : loaded.manifest.contributes.destinations) ?? [];
      for (const { type } of types) {
        const owner = this.contributions(kind).find((c) => c.contribution.type === type);
        if (!owner) continue;
        const builtin = this.entries.find((e) => e.loaded?.manifest.id === owner.pluginId)?.builtin;
        throw new PluginError(
          `Plugin ${loaded.manifest.id} contributes ${kind} type "${type}", which the ${builtin ? 'built-in ' : ''}plugin ${owner.pluginId} already provides`,
          {
            hint: `A type names one plugin's code; ask the plugin's author to rename it, or remove one of the two plugins`,
          },
        );
      }
    }
  }

  list(): PluginInfo[] {
    return this.entries.map((e) => {
      // Not activated in this process: a failure an earlier command met (listing runs no plugin code).
      const recorded =
        e.state === 'inactive' && e.loaded
          ? this.options.activations?.get(e.loaded.manifest.id, e.loaded.version)
          : undefined;
      const state = recorded ? 'failed' : e.state;
      const error = recorded ? `${recorded.error} (when last activated, ${recorded.at})` : e.error;
      return this.info(e, state, error);
    });
  }

  private info(e: Entry, state: PluginState, error: string | undefined): PluginInfo {
    return {
      id: e.loaded?.manifest.id ?? e.fallbackId ?? e.packageName ?? e.dir,
      displayName: e.loaded?.manifest.displayName ?? e.packageName ?? e.dir,
      packageName: e.loaded?.packageName ?? e.packageName ?? '',
      version: e.loaded?.version ?? e.version ?? '',
      dir: e.dir,
      builtin: e.builtin,
      state,
      ...(error ? { error } : {}),
      sources: (e.loaded?.manifest.contributes.sources ?? []).map((c) => c.type),
      destinations: (e.loaded?.manifest.contributes.destinations ?? []).map((c) => c.type),
    };
  }

  /**
   * Every contribution of a kind, from plugins whose manifest is valid. Destination types come with the
   * encryption settings the host adds to all of them (withEncryptionSettings).
   */
  contributions(kind: ContributionKind): { pluginId: string; contribution: ContributionManifest }[] {
    return this.entries.flatMap((e) =>
      e.loaded
        ? ((kind === 'source'
            ? e.loaded.manifest.contributes.sources
            : e.loaded.manifest.contributes.destinations?.map((c) => withSidecarSetting(withEncryptionSettings(c)))
          )?.map((contribution) => ({ pluginId: e.loaded!.manifest.id, contribution })) ?? [])
        : [],
    );
  }

  /** The manifest entry for a type, or a usage error listing the known types. */
  contribution(kind: ContributionKind, type: string): { pluginId: string; contribution: ContributionManifest } {
    const all = this.contributions(kind);
    const found = all.find((c) => c.contribution.type === type);
    if (!found) {
      const failed = this.entries.filter((e) => e.state === 'failed').map((e) => e.error);
      throw new UsageError(`Unknown ${kind} type "${type}"`, {
        hint: `Known ${kind} types: ${all.map((c) => c.contribution.type).join(', ') || '(none)'}${failed.length ? `. Plugins that failed to load: ${failed.join('; ')}` : ''}`,
      });
    }
    return found;
  }

  /** Activates the plugin that contributes `type` (once) and returns its factory; destinations come key-checked. */
  async factory(kind: 'source', type: string): Promise<NonNullable<PluginContributions['sources']>[string]>;
  async factory(kind: 'destination', type: string): Promise<NonNullable<PluginContributions['destinations']>[string]>;
  async factory(kind: ContributionKind, type: string) {
    const { pluginId } = this.contribution(kind, type);
    const entry = this.entries.find((e) => e.loaded?.manifest.id === pluginId)!;
    const contributions = await this.activate(entry);
    const factory = kind === 'source' ? contributions.sources?.[type] : contributions.destinations?.[type];
    if (!factory) {
      throw new PluginError(
        `Plugin ${pluginId} declares ${kind} type "${type}" but its activate() did not provide it`,
        {
          hint: 'Report this to the plugin author',
        },
      );
    }
    if (kind === 'source') return factory;
    return this.keyChecked(factory as DestinationFactory);
  }

  /**
   * The plugin's factory with its destinations behind the key checks (no plugin receives a key that breaks the
   * contract) and, when their settings ask for it, behind encryption: the host takes the encryption settings out,
   * so the plugin never sees them and stores only encrypted bytes.
   */
  private keyChecked(factory: DestinationFactory): DestinationFactory {
    let checked = this.checkedFactories.get(factory);
    if (!checked) {
      checked = {
        create: async (settings: Settings, context: InstanceContext) => {
          const { plugin: unencrypted, encryption } = splitEncryption(settings);
          const { plugin, sidecars } = splitSidecars(unencrypted);
          const destination = withKeyChecks(await factory.create(plugin, context));
          return withSidecarMode(
            await withEncryption(context.name, destination, encryption, context.secrets),
            sidecars,
          );
        },
      };
      this.checkedFactories.set(factory, checked);
    }
    return checked;
  }

  private activate(entry: Entry): Promise<PluginContributions> {
    const loaded = entry.loaded!;
    entry.activation ??= (async () => {
      const id = loaded.manifest.id;
      try {
        const mod = (await import(pathToFileURL(join(loaded.dir, loaded.manifest.main)).href)) as Partial<PluginModule>;
        if (typeof mod.activate !== 'function')
          throw new Error(`its entry module ${loaded.manifest.main} exports no activate()`);
        const storageDir = join(this.options.storageRoot, id);
        await makeDirs(storageDir);
        const contributions = await mod.activate({
          pluginId: id,
          logger: this.options.logger(id),
          storageDir,
          signal: this.abort.signal,
          onDispose: (d) => this.disposers.push(d),
        });
        if (mod.deactivate) this.disposers.push(() => mod.deactivate!());
        entry.state = 'active';
        this.remember(loaded, undefined);
        return contributions;
      } catch (error) {
        entry.state = 'failed';
        entry.error = describeError(error);
        this.remember(loaded, entry.error);
        throw new PluginError(`Plugin ${id} failed to activate: ${entry.error}`, {
          cause: error,
          hint: 'Update or remove the plugin (`lifeboat plugins`)',
        });
      }
    })();
    return entry.activation;
  }

  private remember(loaded: LoadedManifest, error: string | undefined): void {
    try {
      this.options.activations?.set(loaded.manifest.id, loaded.version, error);
    } catch {
      // Bookkeeping for `lifeboat plugins` only: never let it change what activation did.
    }
  }

  /** Releases what plugins registered, once, last registered first; a disposer's error never stops the rest. */
  async dispose(): Promise<void> {
    this.abort.abort();
    for (const d of this.disposers.splice(0).reverse())
      await Promise.resolve()
        .then(d)
        .catch(() => {});
  }
}

async function readPackageIdentity(
  dir: string,
): Promise<{ packageName?: string; version?: string; fallbackId?: string }> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
      lifeboat?: { id?: unknown };
    };
    const id = pkg.lifeboat?.id;
    return {
      ...(typeof pkg.name === 'string' ? { packageName: pkg.name } : {}),
      ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
      ...(typeof id === 'string' && /^[a-z][a-z0-9-]*$/.test(id) ? { fallbackId: id } : {}),
    };
  } catch {
    return {};
  }
}
