import { describeError } from './classify.js';
import { ErrorCode, isLifeboatError } from './codes.js';

/** What a report, a log line or the screen shows of one failure. */
export interface Failure {
  code: string;
  message: string;
  hint?: string;
}

/**
 * Turns any thrown value into a failure: a Lifeboat error keeps its code, message and hint; anything else gets
 * `fallback` (LIFEBOAT_ERROR unless the caller knows better) and its message with its own code (`ENOENT`), if any.
 */
export function toFailure(error: unknown, fallback: string = ErrorCode.Unknown): Failure {
  if (isLifeboatError(error)) {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return { code: fallback, message: describeError(error) };
}
