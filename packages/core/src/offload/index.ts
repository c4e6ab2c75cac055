export {
  checkMinCopies,
  decideOffload,
  KEEP_REASONS,
  type KeepReason,
  MIN_COPIES_FLOOR,
  type OffloadAsset,
  type OffloadCopy,
  type OffloadDecision,
  type OffloadDestination,
  type OffloadPlan,
  type OffloadResource,
  type OffloadRule,
  planOffload,
} from './rule.js';
export {
  OFFLOAD_BATCH,
  type OffloadResult,
  type OffloadRunOptions,
  type OffloadStop,
  type OffloadTarget,
  runOffload,
} from './run-offload.js';
