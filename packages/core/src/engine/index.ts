export type { DestinationSummary, Progress, RunEvent, RunFailure, RunSummary } from './events.js';
export { fanOut, type FanOutResult } from './fan-out.js';
export { DEFAULT_RETRY, type RetryPolicy, backoffDelay, withRetry } from './retry.js';
export { RetryingDestination } from './retrying-destination.js';
export { type BackupRunOptions, runBackup } from './run-backup.js';
export { acquireLock } from './run-lock.js';
