export { type Due, type DueState, dueRun, latestSlot, nextRuns } from './next-runs.js';
export { checkTimeZone, parseSchedule, type Schedule } from './spec.js';
