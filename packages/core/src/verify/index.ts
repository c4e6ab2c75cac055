export { repairDestinations } from './repair.js';
export { pickSample, sampleSize, stableHash } from './sample.js';
export type {
  DestinationRepair,
  ExpectedCopy,
  NamedDestination,
  ProblemKind,
  RepairAction,
  RepairFailure,
  RepairOptions,
  RepairReport,
  VerifyEvent,
  VerifyOptions,
  VerifyProblem,
  VerifyReport,
  VerifySelection,
} from './types.js';
export { verifyDestination } from './verify-destination.js';
