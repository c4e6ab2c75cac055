import type { DestinationFacts } from '../app/destination-facts.js';
import type { PlanService, PlanSetArgs } from '../app/plans.js';
import type { Io } from '../output/io.js';
import { readSecret } from '../output/prompt.js';
import { setPlanMembers } from './instance-set.js';

/** `plan set <name>`: changes what was given (schedule, scrub, notifications, members); the rest stays. */
export async function setPlan(plans: PlanService, facts: DestinationFacts, io: Io, name: string, args: PlanSetArgs) {
  return setPlanMembers(plans, facts, io, name, args, () => readSecret(`Webhook URL for plan "${name}"`));
}
