export * from './classes.js';
export { describeError, isAbort, isRetryable } from './classify.js';
export { LifeboatError } from './lifeboat-error.js';
