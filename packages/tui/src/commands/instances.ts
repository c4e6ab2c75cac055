import { type ContributionKind, encryptionSecrets, parseSetOptions, UsageError } from '@lifeboat/core';
import type { InstanceService } from '../app/instances.js';
import { table } from '../output/format.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';

const plural = (kind: ContributionKind) => (kind === 'source' ? 'sources' : 'destinations');

/**
 * `source add` / `destination add`: validate settings, check the instance works, then save it. Every required
 * secret must be named with --secret; an optional one only when the user has it.
 */
export async function addInstance(
  instances: InstanceService,
  io: Io,
  kind: ContributionKind,
  type: string,
  name: string,
  sets: string[],
  secretKeys: string[] = [],
  options: { create?: boolean } = {},
) {
  const contribution = await instances.contribution(kind, type);
  const given = parseSetOptions(sets);
  // An encrypted destination also takes the encryption password (required) and rclone's password2 (optional).
  const encrypted = encryptionSecrets(given);
  const required = [...(contribution.secrets ?? []), ...encrypted.required];
  const optional = [...(contribution.optionalSecrets ?? []), ...encrypted.optional];
  checkSecretNames(required, [...required, ...optional], Object.keys(given), secretKeys, type);
  const prepared = await instances.prepare(kind, type, name, given, secretKeys, options);
  const values: Record<string, string> = {};
  for (const key of secretKeys) values[key] = await readSecret(`${kind} "${name}" ${key}`);
  for (const line of await instances.commit(prepared, values)) io.err(line);
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

export function listInstances(instances: InstanceService, io: Io, kind: ContributionKind, json: boolean) {
  const items = instances.list(kind);
  if (json) io.json(items);
  else if (items.length === 0)
    io.out(`No ${plural(kind)} yet. Add one with \`lifeboat ${kind} add <type> <name> --set key=value\`.`);
  else io.out(table([['NAME', 'TYPE', 'SETTINGS'], ...items.map((i) => [i.name, i.type, JSON.stringify(i.settings)])]));
  return 0;
}

/** `source remove` / `destination remove`: forgets the configuration only; backed-up files are never touched. */
export async function removeInstance(instances: InstanceService, io: Io, kind: ContributionKind, name: string) {
  await instances.remove(kind, name);
  io.err(
    `Removed ${kind} "${name}".${kind === 'destination' ? ' The files already backed up there were left as they are.' : ''}`,
  );
  return 0;
}
