import { ConfigError, type ContributionKind, encryptionSecrets, parseSetOptions, UsageError } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { commitInstance, prepareInstance } from '../app/add-instance.js';
import { pluginHost, resolveConfig, resolveSecrets } from '../container.js';
import { table } from '../output/format.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/** `source add` / `destination add`: validate settings, check the instance works, then save it. */
export async function addInstance(
  c: DependencyContainer,
  io: Io,
  kind: ContributionKind,
  type: string,
  name: string,
  sets: string[],
  secretKeys: string[] = [],
) {
  const { contribution } = (await pluginHost(c)).contribution(kind, type);
  const given = parseSetOptions(sets);
  // An encrypted destination also takes the encryption password (required) and rclone's password2 (optional).
  const encrypted = encryptionSecrets(given);
  const required = [...(contribution.secrets ?? []), ...encrypted.required];
  checkSecretNames(required, [...required, ...encrypted.optional], Object.keys(given), secretKeys, type);
  const prepared = await prepareInstance(c, kind, type, name, given, secretKeys);
  const values: Record<string, string> = {};
  for (const key of secretKeys) values[key] = await readSecret(`${kind} "${name}" ${key}`);
  for (const line of await commitInstance(c, prepared, values)) io.err(line);
  return 0;
}

/** Secrets only by --secret (prompt or stdin), never as a command-line value, and only those the plugin declares. */
function checkSecretNames(
  required: string[],
  declared: string[],
  setKeys: string[],
  secretKeys: string[],
  type: string,
) {
  const onCommandLine = setKeys.find((k) => declared.includes(k));
  if (onCommandLine) {
    throw new UsageError(`"${onCommandLine}" is a secret and cannot be given with --set`, {
      hint: `Use --secret ${onCommandLine}: you will be asked for it, or it is read from standard input`,
    });
  }
  const unknown = secretKeys.find((k) => !declared.includes(k));
  if (unknown) {
    throw new UsageError(`"${type}" has no secret named "${unknown}"`, {
      hint: `Its secrets: ${declared.join(', ') || '(none)'}`,
    });
  }
  const missing = required.filter((k) => !secretKeys.includes(k));
  if (missing.length > 0) {
    throw new UsageError(`"${type}" needs the secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: missing.map((k) => `--secret ${k}`).join(' '),
    });
  }
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
  const instance = config[plural(kind)][name]!;
  const host = await pluginHost(c);
  const { pluginId, contribution } = host.contribution(kind, instance.type);
  // Its secrets go with it: nothing is left behind in the keychain. Types without secrets never touch it.
  if ((instance.secrets ?? []).length > 0 || (contribution.secrets ?? []).length > 0) {
    await resolveSecrets(c).deleteAll({ pluginId, kind, name }, instance.secrets ?? []);
  }
  delete config[plural(kind)][name];
  store.write(config);
  io.err(
    `Removed ${kind} "${name}".${kind === 'destination' ? ' The files already backed up there were left as they are.' : ''}`,
  );
  return 0;
}
