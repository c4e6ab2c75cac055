export {
  type BackupPlan,
  type DestinationPlan,
  type PlanDestination,
  type PlanInput,
  type PlannableResource,
  planBackup,
  SPACE_MARGIN_BYTES,
  SPACE_MARGIN_PER_FILE,
  SPACE_MARGIN_RATIO,
  spaceNeeded,
  type WorkItem,
} from './plan-backup.js';
export { type PlanFigures, PlanTally } from './plan-tally.js';
export {
  encryptedCopiesText,
  evaluate321,
  type Rule321,
  type RuleCheck,
  type RuleDestination,
  type RuleEvaluation,
} from './rule-321.js';
