import { type ContributionKind, parseSetOptions, UsageError } from '@lifeboat/core';
import { type DestinationFacts, ruleLines } from '../app/destination-facts.js';
import type { InstanceEditService } from '../app/instance-edit.js';
import type { PlanService, PlanSetArgs } from '../app/plans.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';

/** `source set` / `destination set`: changes settings (and re-asks secrets), proving the result works first. */
export async function setInstance(
  edit: InstanceEditService,
  io: Io,
  kind: ContributionKind,
  name: string,
  sets: string[],
  secretKeys: string[],
) {
  const given = parseSetOptions(sets);
  const allowed = await edit.secretKeys(kind, name);
  const unknown = secretKeys.find((k) => !allowed.includes(k));
  if (unknown) {
    throw new UsageError(`${kind} "${name}" has no secret named "${unknown}"`, {
      hint: `Its secrets: ${allowed.join(', ') || '(none)'}`,
    });
  }
  const values: Record<string, string> = {};
  for (const key of secretKeys) values[key] = await readSecret(`${kind} "${name}" ${key}`);
  const changes = await edit.set(kind, name, given, values);
  io.out(`${kind === 'source' ? 'Source' : 'Destination'} "${name}": ${changes.join('; ')}.`);
  return 0;
}

/** `plan set <name>`: changes what was given; prints the 3-2-1 evaluation when the destinations changed. */
export async function setPlanMembers(
  plans: PlanService,
  facts: DestinationFacts,
  io: Io,
  name: string,
  args: PlanSetArgs,
  webhookUrl: () => Promise<string>,
) {
  const changes = await plans.set(name, args, webhookUrl);
  io.out(`Plan "${name}": ${changes.join('; ')}.`);
  if (!args.addDestination?.length && !args.removeDestination?.length) return 0;
  const destinations = plans.destinationsOf(name);
  const described = await facts.describe(destinations);
  for (const line of ruleLines(described)) io.out(line);
  for (const d of described) if (d.error) io.err(`Destination "${d.name}" could not be described: ${d.error}`);
  return 0;
}
