import type { PlanService, PlanSetArgs } from '../app/plans.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';

/** `plan set <name>`: changes a plan's schedule, scrub and notifications; everything else stays as it was. */
export async function setPlan(plans: PlanService, io: Io, name: string, args: PlanSetArgs) {
  const changes = await plans.set(name, args, () => readSecret(`Webhook URL for plan "${name}"`));
  io.err(`Plan "${name}": ${changes.join('; ')}.`);
  return 0;
}
