export * from './classes.js';
export { describeError, isAbort, isRetryable } from './classify.js';
export { ErrorCode, errorCode, hasCode, isLifeboatError } from './codes.js';
export { type Failure, toFailure } from './failure.js';
export { LifeboatError } from './lifeboat-error.js';
