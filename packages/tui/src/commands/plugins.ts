import type { PluginAdmin } from '../app/plugin-admin.js';
import { table } from '../output/format.js';
import type { Io } from '../output/io.js';

const STATE_WORDS = { active: 'active', inactive: 'not yet activated', failed: 'failed' } as const;

export async function listPlugins(plugins: PluginAdmin, io: Io, json: boolean) {
  const list = await plugins.list();
  if (json) {
    io.json(list);
    return 0;
  }
  io.out(
    table([
      ['ID', 'VERSION', 'SOURCES', 'DESTINATIONS', 'STATE'],
      ...list.map((p) => [
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
export async function addPlugin(plugins: PluginAdmin, io: Io, spec: string, allowScripts = false) {
  const added = await plugins.add(spec, {
    allowScripts,
    onInstall: (target, pluginsDir) =>
      io.err(
        allowScripts
          ? `Running npm install for ${target} in ${pluginsDir}, with install scripts (--allow-scripts).`
          : `Running npm install for ${target} in ${pluginsDir}, without install scripts (--allow-scripts to allow them).`,
      ),
  });
  for (const p of added) {
    if ('error' in p) {
      io.err(`Installed ${p.dir}, but it cannot be used: ${p.error}`);
      return 1;
    }
    io.err(`Installed plugin ${p.id} ${p.version} (${p.displayName}): ${p.types.join(', ')}`);
  }
  if (added.length === 0) io.err(`"${spec}" was already installed.`);
  return 0;
}

/** `plugins remove <id>`: refuses while a configured source or destination still uses the plugin. */
export async function removePlugin(plugins: PluginAdmin, io: Io, id: string) {
  await plugins.remove(id);
  io.err(`Removed plugin ${id}.`);
  return 0;
}
