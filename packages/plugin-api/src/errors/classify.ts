import { errorCode, isLifeboatError } from './codes.js';

// Node/system error codes where the same call may succeed a moment later.
const RETRYABLE_SYSTEM_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EAGAIN',
  'EBUSY',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isRetryable(error: unknown): boolean {
  if (isLifeboatError(error)) return error.retryable === true;
  if (typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true) return true;
  return RETRYABLE_SYSTEM_CODES.has(errorCode(error) ?? '');
}

export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** A one-line description of any thrown value, with its code when it has one. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  return code === undefined ? error.message : `${error.message} [${code}]`;
}
