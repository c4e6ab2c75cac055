import type { DependencyContainer } from 'tsyringe';
import { pluginHost } from '../container.js';
import { table } from '../output/format.js';
import type { Io } from '../output/io.js';

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
