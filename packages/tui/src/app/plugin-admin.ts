import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type ConfigStore, describeError, type PluginInfo, readManifest, UsageError } from '@lifeboat/core';
import type { StatePaths } from '../state/paths.js';
import { installPlugin, uninstallPlugin } from '../state/user-plugins.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** One plugin `add` installed: what it is, or why it cannot be used. */
export type InstalledPlugin =
  | { dir: string; id: string; version: string; displayName: string; types: string[] }
  | { dir: string; error: string };

/** Installed plugins: listing, installing into the user plugins folder, removing. */
@injectable()
export class PluginAdmin {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** Every registered plugin, what it contributes, and its state. */
  async list(): Promise<PluginInfo[]> {
    return (await this.plugins.host()).list();
  }

  /**
   * Installs from the npm registry or a folder (`npm install`, without install scripts unless `allowScripts`:
   * code run at install time, before any review), then reads each new plugin's manifest; stops at the first one
   * that cannot be used (it is in the list with its error). Empty when it was installed already. `onInstall` is
   * told what npm is about to install, and where.
   */
  async add(
    spec: string,
    options: { allowScripts?: boolean; onInstall?: (target: string, pluginsDir: string) => void } = {},
  ): Promise<InstalledPlugin[]> {
    const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~');
    const target = looksLikePath ? resolve(spec.replace(/^~(?=$|\/)/, homedir())) : spec;
    const { pluginsDir } = this.paths;
    options.onInstall?.(target, pluginsDir);
    const out: InstalledPlugin[] = [];
    const allowScripts = options.allowScripts ?? false;
    const added = await installPlugin(pluginsDir, target, { allowScripts });
    const host = await this.plugins.host(); // registers the new plugins beside the others: a type clash shows here
    for (const dir of added) {
      try {
        const { manifest, version } = await readManifest(dir);
        const refused = host.list().find((p) => p.dir === dir && p.state === 'failed');
        if (refused) throw new Error(refused.error);
        const types = [...(manifest.contributes.sources ?? []), ...(manifest.contributes.destinations ?? [])].map(
          (x) => x.type,
        );
        out.push({ dir, id: manifest.id, version, displayName: manifest.displayName, types });
      } catch (error) {
        out.push({ dir, error: describeError(error) });
        break;
      }
    }
    return out;
  }

  /** Refuses while a configured source or destination still uses the plugin, and for built-in ones. */
  async remove(id: string): Promise<void> {
    const all = await this.list();
    const plugin = all.find((p) => p.id === id) ?? all.find((p) => p.packageName === id);
    if (!plugin)
      throw new UsageError(`No plugin with id "${id}"`, { hint: 'See `lifeboat plugins` for installed plugins' });
    if (plugin.builtin) throw new UsageError(`Plugin "${id}" is built into Lifeboat and cannot be removed`);
    const config = this.config.read();
    const users = [
      ...Object.entries(config.sources)
        .filter(([, s]) => plugin.sources.includes(s.type))
        .map(([n]) => `source ${n}`),
      ...Object.entries(config.destinations)
        .filter(([, d]) => plugin.destinations.includes(d.type))
        .map(([n]) => `destination ${n}`),
    ];
    if (users.length > 0) {
      throw new UsageError(`Plugin "${id}" is still used by ${users.join(', ')}`, { hint: 'Remove those first' });
    }
    await uninstallPlugin(this.paths.pluginsDir, plugin.packageName);
  }
}
