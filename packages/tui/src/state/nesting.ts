import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { type InstanceConfig, type LifeboatConfig, type PluginHost, UsageError } from '@lifeboat/core';

/** The folders an instance names: its settings the plugin marks `format: "path"`, links resolved where they exist. */
function pathsOf(host: PluginHost, kind: 'source' | 'destination', instance: InstanceConfig): string[] {
  const { contribution } = host.contribution(kind, instance.type);
  const props = (contribution.settings.properties ?? {}) as Record<string, { format?: string }>;
  return Object.entries(props)
    .filter(([key, schema]) => schema.format === 'path' && typeof instance.settings[key] === 'string')
    .map(([key]) => canonical(instance.settings[key] as string));
}

function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path); // not there yet (a drive not mounted): compare as written
  }
}

const within = (inner: string, outer: string) => {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/') && !/^[A-Za-z]:/.test(rel));
};

/**
 * Refuses a plan whose destination folder lies inside one of its source folders (each run would back up the
 * previous run's copies again, growing without end) or the other way round (the copies land in the source).
 */
export function refuseNestedFolders(
  host: PluginHost,
  config: LifeboatConfig,
  plan: { sources: string[]; destinations: string[] },
): void {
  for (const s of plan.sources) {
    const source = config.sources[s];
    if (!source) continue;
    for (const sourcePath of pathsOf(host, 'source', source)) {
      for (const d of plan.destinations) {
        const destination = config.destinations[d];
        if (!destination) continue;
        for (const destinationPath of pathsOf(host, 'destination', destination)) {
          const inside = within(destinationPath, sourcePath);
          if (!inside && !within(sourcePath, destinationPath)) continue;
          throw new UsageError(
            inside
              ? `Destination "${d}" (${destinationPath}) is inside source "${s}" (${sourcePath}): each run would back up the copies of the previous one again`
              : `Source "${s}" (${sourcePath}) is inside destination "${d}" (${destinationPath}): the copies would land in the source and be backed up again`,
            {
              hint: `Put the backup in a folder outside ${inside ? sourcePath : destinationPath} (another drive is best)`,
            },
          );
        }
      }
    }
  }
}
