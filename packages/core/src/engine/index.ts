export { AdaptiveLimit, type AdaptiveLimitOptions, type LimitState } from './adaptive-limit.js';
export type {
  ConcurrencyReport,
  DestinationSummary,
  LimitReport,
  Progress,
  RunEvent,
  RunFailure,
  RunSummary,
} from './events.js';
export { type FanOutResult, fanOut } from './fan-out.js';
export { type PlanPreview, type PlanPreviewOptions, previewPlan } from './preview-plan.js';
export { adoptDestinationIndex } from './recovery.js';
export { RetryingDestination } from './retrying-destination.js';
export { type BackupRunOptions, runBackup } from './run-backup.js';
export { DEFAULT_MAX_CONCURRENCY, INITIAL_CONCURRENCY } from './run-limits.js';
export { acquireLock } from './run-lock.js';
export { type ThrottleSignal, throttleOf } from './throttle-signal.js';
export { parseBandwidth, TokenBucket } from './token-bucket.js';
