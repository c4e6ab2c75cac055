import { LifeboatError } from './lifeboat-error.js';

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
  if (error instanceof LifeboatError) return error.retryable;
  if (typeof error === 'object' && error !== null) {
    const e = error as { retryable?: unknown; code?: unknown };
    if (e.retryable === true) return true;
    if (typeof e.code === 'string' && RETRYABLE_SYSTEM_CODES.has(e.code)) return true;
  }
  return false;
}

export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** A one-line description of any thrown value, with its code when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof LifeboatError) return `${error.message} [${error.code}]`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}
