export type { DestinationSummary, Progress, RunEvent, RunFailure, RunSummary } from './events.js';
export { type FanOutResult, fanOut } from './fan-out.js';
export { adoptDestinationIndex } from './recovery.js';
export { RetryingDestination } from './retrying-destination.js';
export { type BackupRunOptions, runBackup } from './run-backup.js';
export { acquireLock } from './run-lock.js';
