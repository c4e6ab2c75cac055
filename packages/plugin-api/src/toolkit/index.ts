// Building blocks for plugin authors: what every destination must get right, written once.
export { abortable } from './abortable.js';
export { type CheckedBody, type CheckedBodyOptions, checkedBody } from './checked-body.js';
export { backoffDelay, DEFAULT_RETRY, type RetryHooks, type RetryPolicy, sleep, withRetry } from './retry.js';
