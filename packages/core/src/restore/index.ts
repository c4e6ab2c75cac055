export { captureInstant, setCaptureTime } from './capture-time.js';
export {
  type RestoreEvent,
  type RestoreFailure,
  type RestoreFilter,
  type RestoreSummary,
  restoreFromDestination,
  selectEntries,
} from './restore.js';
export { targetPath } from './restore-file.js';
