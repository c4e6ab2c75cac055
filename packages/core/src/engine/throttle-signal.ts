import { isAbort } from '@lifeboat/plugin-api';

/** What an error says about the server's load: it asked us to slow down (with how long to stay away), or not. */
export interface ThrottleSignal {
  /** The server's Retry-After, in ms, when it gave one. */
  retryAfterMs?: number;
}

// Codes servers and SDKs use for "too many requests" (S3's SlowDown, AWS throttling names) and for timeouts,
// which under load mean the same thing: fewer requests at once.
const THROTTLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const THROTTLE_STATUS = new Set([429, 503]);

/**
 * Reads a throttle out of any error a plugin throws: a TransientError marked `throttled` (or with `retryAfterMs`),
 * an HTTP status of 429/503 (as `status`, `statusCode` or an AWS SDK's `$metadata.httpStatusCode`), or a
 * throttling/timeout code. Undefined when the error says nothing about load (a missing file, a bad password).
 */
export function throttleOf(error: unknown): ThrottleSignal | undefined {
  if (typeof error !== 'object' || error === null || isAbort(error)) return undefined;
  const e = error as {
    throttled?: unknown;
    retryAfterMs?: unknown;
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
  };
  const retryAfterMs =
    typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) && e.retryAfterMs >= 0
      ? e.retryAfterMs
      : undefined;
  const status = [e.status, e.statusCode, e.$metadata?.httpStatusCode].find((s) => typeof s === 'number');
  const throttled =
    e.throttled === true ||
    retryAfterMs !== undefined ||
    THROTTLE_STATUS.has(status as number) ||
    (typeof e.code === 'string' && THROTTLE_CODES.has(e.code)) ||
    (typeof e.name === 'string' && THROTTLE_CODES.has(e.name));
  if (throttled) return retryAfterMs === undefined ? {} : { retryAfterMs };
  // Destinations wrap the SDK's error; the cause may carry what the wrapper lost.
  return e.cause !== undefined && e.cause !== error ? throttleOf(e.cause) : undefined;
}
