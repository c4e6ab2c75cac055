import {
  ConfigError,
  type ContributionKind,
  initializeDestination,
  NAME_PATTERN,
  parseSetOptions,
  UsageError,
  validateSettings,
} from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { pluginHost, resolveConfig, resolvePaths } from '../container.js';
import type { Io } from '../output/io.js';
import { table } from '../output/format.js';
import { fileLogger } from '../state/file-logger.js';
import { createInstance, instanceContext, normalizePaths } from '../state/instances.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/** `source add` / `destination add`: validate settings, check the instance works, then save it. */
export async function addInstance(
  c: DependencyContainer,
  io: Io,
  kind: ContributionKind,
  type: string,
  name: string,
  sets: string[],
) {
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError(`"${name}" is not a valid ${kind} name`, {
      hint: 'Use letters, digits, dot, dash or underscore (up to 64), starting with a letter or digit',
    });
  }
  const store = resolveConfig(c);
  const config = store.read();
  if (config[plural(kind)][name]) {
    throw new UsageError(`A ${kind} named "${name}" already exists`, {
      hint: `Pick another name, or see \`lifeboat ${kind} list\``,
    });
  }
  const host = await pluginHost(c);
  const { contribution } = host.contribution(kind, type);
  const settings = normalizePaths(contribution, validateSettings(kind, contribution, parseSetOptions(sets)));
  const instance = { type, settings };
  const ctx = instanceContext(
    name,
    fileLogger(resolvePaths(c).logsDir, `${kind}:${name}`),
    new AbortController().signal,
  );
  if (kind === 'destination') {
    const destination = await createInstance(host, 'destination', name, instance, ctx);
    await initializeDestination(destination, name, new Date().toISOString());
    const d = await destination.describe();
    io.err(`Destination "${name}" ready at ${d.location} (${d.mediumKind}${d.offsite ? ', offsite' : ''}).`);
  } else {
    const source = await createInstance(host, 'source', name, instance, ctx);
    // Reading the first entry proves the source is reachable before it is saved.
    for await (const _ of source.list({ signal: ctx.signal })) break;
    io.err(`Source "${name}" added.`);
  }
  config[plural(kind)][name] = instance;
  store.write(config);
  return 0;
}

export async function listInstances(c: DependencyContainer, io: Io, kind: ContributionKind, json: boolean) {
  const items = Object.entries(resolveConfig(c).read()[plural(kind)]).map(([name, i]) => ({
    name,
    type: i.type,
    settings: i.settings,
  }));
  if (json) io.json(items);
  else if (items.length === 0)
    io.out(`No ${plural(kind)} yet. Add one with \`lifeboat ${kind} add <type> <name> --set key=value\`.`);
  else io.out(table([['NAME', 'TYPE', 'SETTINGS'], ...items.map((i) => [i.name, i.type, JSON.stringify(i.settings)])]));
  return 0;
}

export function requireInstance(kind: ContributionKind, name: string, all: Record<string, unknown>) {
  if (!all[name]) {
    throw new ConfigError(`No ${kind} named "${name}"`, {
      hint: `Known ${plural(kind)}: ${Object.keys(all).join(', ') || '(none)'}; add one with \`lifeboat ${kind} add\``,
    });
  }
}

/** `source remove` / `destination remove`: forgets the configuration only; backed-up files are never touched. */
export async function removeInstance(c: DependencyContainer, io: Io, kind: ContributionKind, name: string) {
  const store = resolveConfig(c);
  const config = store.read();
  requireInstance(kind, name, config[plural(kind)]);
  const plans = Object.entries(config.plans)
    .filter(([, p]) => (kind === 'source' ? p.sources : p.destinations).includes(name))
    .map(([n]) => n);
  if (plans.length > 0) {
    throw new UsageError(`${kind} "${name}" is used by plan ${plans.join(', ')}`, {
      hint: `Remove the plan first (\`lifeboat plan remove ${plans[0]}\`)`,
    });
  }
  delete config[plural(kind)][name];
  store.write(config);
  io.err(`Removed ${kind} "${name}".${kind === 'destination' ? ' The files already backed up there were left as they are.' : ''}`);
  return 0;
}
