import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describeError, readManifest, UsageError } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { pluginHost, resolveConfig, resolvePaths } from '../container.js';
import { table } from '../output/format.js';
import type { Io } from '../output/io.js';
import { installPlugin, uninstallPlugin } from '../state/user-plugins.js';

const STATE_WORDS = { active: 'active', inactive: 'not yet activated', failed: 'failed' } as const;

export async function listPlugins(c: DependencyContainer, io: Io, json: boolean) {
  const plugins = (await pluginHost(c)).list();
  if (json) {
    io.json(plugins);
    return 0;
  }
  io.out(
    table([
      ['ID', 'VERSION', 'SOURCES', 'DESTINATIONS', 'STATE'],
      ...plugins.map((p) => [
        p.id,
        p.version,
        p.sources.join(',') || '-',
        p.destinations.join(',') || '-',
        `${STATE_WORDS[p.state]}${p.error ? `: ${p.error}` : ''}${p.builtin ? ' (built-in)' : ''}`,
      ]),
    ]),
  );
  return 0;
}

/**
 * `plugins add <npm-package|path>`: installs into the user plugins folder and checks the manifest. It says that it
 * runs npm, and npm runs no install scripts (code run at install time, before any review) unless allowed.
 */
export async function addPlugin(c: DependencyContainer, io: Io, spec: string, allowScripts = false) {
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~');
  const target = looksLikePath ? resolve(spec.replace(/^~(?=$|\/)/, homedir())) : spec;
  const { pluginsDir } = resolvePaths(c);
  io.err(
    allowScripts
      ? `Running npm install for ${target} in ${pluginsDir}, with install scripts (--allow-scripts).`
      : `Running npm install for ${target} in ${pluginsDir}, without install scripts (--allow-scripts to allow them).`,
  );
  const added = await installPlugin(pluginsDir, target, { allowScripts });
  const host = await pluginHost(c); // registers the new plugins beside the others: a type clash shows here
  for (const dir of added) {
    try {
      const { manifest, version } = await readManifest(dir);
      const refused = host.list().find((p) => p.dir === dir && p.state === 'failed');
      if (refused) throw new Error(refused.error);
      const types = [...(manifest.contributes.sources ?? []), ...(manifest.contributes.destinations ?? [])].map(
        (x) => x.type,
      );
      io.err(`Installed plugin ${manifest.id} ${version} (${manifest.displayName}): ${types.join(', ')}`);
    } catch (error) {
      io.err(`Installed ${dir}, but it cannot be used: ${describeError(error)}`);
      return 1;
    }
  }
  if (added.length === 0) io.err(`"${spec}" was already installed.`);
  return 0;
}

/** `plugins remove <id>`: refuses while a configured source or destination still uses the plugin. */
export async function removePlugin(c: DependencyContainer, io: Io, id: string) {
  const all = (await pluginHost(c)).list();
  const plugin = all.find((p) => p.id === id) ?? all.find((p) => p.packageName === id);
  if (!plugin)
    throw new UsageError(`No plugin with id "${id}"`, { hint: 'See `lifeboat plugins` for installed plugins' });
  if (plugin.builtin) throw new UsageError(`Plugin "${id}" is built into Lifeboat and cannot be removed`);
  const config = resolveConfig(c).read();
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
  await uninstallPlugin(resolvePaths(c).pluginsDir, plugin.packageName);
  io.err(`Removed plugin ${id}.`);
  return 0;
}
