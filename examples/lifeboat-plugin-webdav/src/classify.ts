import type { IncomingMessage } from 'node:http';
import {
  DestinationUnavailableError,
  InsufficientSpaceError,
  isLifeboatError,
  type LifeboatError,
  PluginError,
  TransientError,
} from '@lifeboat/plugin-api';
import { redact } from './paths.js';

/** Seconds in a Retry-After header (a number or an HTTP date), when the server sent one. */
export function retryAfterMs(response: IncomingMessage): number | undefined {
  const value = response.headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A failure answer the caller has no special meaning for, classified for core. */
export function statusError(response: IncomingMessage, what: string, url: URL): LifeboatError {
  const status = response.statusCode ?? 0;
  const where = `${what} at ${redact(url)}: the server answered ${status} ${response.statusMessage ?? ''}`.trim();
  // Busy, locked (another client's lock, or the server's own while it moves a file), throttled: worth a retry.
  if (status === 423 || status === 429 || status === 502 || status === 503 || status === 504) {
    const wait = retryAfterMs(response);
    const error = new TransientError(where, {
      hint: wait === undefined ? 'The server is busy; the run retries' : `The server asks to retry in ${wait / 1000} s`,
    });
    if (wait !== undefined) Object.assign(error, { retryAfterMs: wait });
    return error;
  }
  if (status === 401 || status === 403) {
    return new DestinationUnavailableError(where, {
      hint: 'Check "username" and the password (lifeboat destination set <name> --secret password)',
    });
  }
  if (status === 507) {
    return new InsufficientSpaceError(where, { hint: 'Free space on the server or raise your quota' });
  }
  if (status >= 500) return new TransientError(where);
  return new PluginError(where);
}

/** A request that never got an answer: refused, reset, unresolvable, timed out. */
export function networkError(error: unknown, method: string, url: URL): unknown {
  if (isLifeboatError(error)) return error; // our own deadline, already classified
  const code = (error as { code?: string }).code;
  const where = `${method} ${redact(url)}: ${(error as Error).message}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new DestinationUnavailableError(where, {
      hint: 'The WebDAV server cannot be reached: is it on, and is "url" right?',
      cause: error,
    });
  }
  return new TransientError(where, { cause: error });
}
