/**
 * Every error Lifeboat reports has a stable code a user can search for or paste into an issue, a message that
 * says what happened, and a hint that says what to do. Printing is left to the caller.
 */
export class LifeboatError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** Whether trying the same operation again may succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { hint?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}
