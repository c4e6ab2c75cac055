import { LifeboatError, TransientError } from '@lifeboat/plugin-api';
import { arrayAt, isObject, type Json, numberAt, objectAt, stringAt } from './json.js';

/** Stable codes of the iCloud source's own errors: a user can paste one into an issue or search for it. */
export const ICLOUD_ERRORS = {
  BAD_PASSWORD: 'LIFEBOAT_ICLOUD_BAD_PASSWORD',
  BAD_CODE: 'LIFEBOAT_ICLOUD_BAD_CODE',
  WEB_ACCESS_OFF: 'LIFEBOAT_ICLOUD_WEB_ACCESS_OFF',
  INDEXING: 'LIFEBOAT_ICLOUD_INDEXING',
  WRONG_DOMAIN: 'LIFEBOAT_ICLOUD_WRONG_DOMAIN',
  LOGIN_REQUIRED: 'LIFEBOAT_ICLOUD_LOGIN_REQUIRED',
  NOT_ACTIVATED: 'LIFEBOAT_ICLOUD_NOT_ACTIVATED',
  PROTOCOL: 'LIFEBOAT_ICLOUD_PROTOCOL',
  SIGN_IN_LIMITED: 'LIFEBOAT_ICLOUD_SIGN_IN_LIMITED',
  SIGN_IN_REFUSED: 'LIFEBOAT_ICLOUD_SIGN_IN_REFUSED',
  SECURITY_KEY: 'LIFEBOAT_ICLOUD_SECURITY_KEY',
  MISDIRECTED: 'LIFEBOAT_ICLOUD_MISDIRECTED',
} as const;

export type IcloudErrorCode = (typeof ICLOUD_ERRORS)[keyof typeof ICLOUD_ERRORS];

/** An iCloud condition the user must act on (or that we cannot make sense of): never retried by core. */
export class IcloudError extends LifeboatError {
  constructor(code: IcloudErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export const loginHint = (source = '<source>') =>
  `run \`lifeboat login ${source}\` to sign in again (your password and a verification code will be asked)`;

export function badPassword(appSpecific = false): IcloudError {
  return new IcloudError(
    ICLOUD_ERRORS.BAD_PASSWORD,
    appSpecific
      ? 'Apple refused the password: app-specific passwords cannot sign in to iCloud on the web'
      : 'Apple refused the Apple ID or password',
    { hint: 'check the Apple ID (setting appleId) and use your normal Apple Account password, then sign in again' },
  );
}

export function badCode(): IcloudError {
  return new IcloudError(ICLOUD_ERRORS.BAD_CODE, 'Apple refused the verification code', {
    hint: 'enter the newest 6-digit code shown on your trusted device (or sent by SMS), then try again',
  });
}

export function webAccessOff(reason?: string): IcloudError {
  return new IcloudError(
    ICLOUD_ERRORS.WEB_ACCESS_OFF,
    `iCloud refused access to the photo library${reason ? ` (${reason})` : ''}: web access to iCloud data is off, or Advanced Data Protection is on`,
    {
      hint: 'either turn on "Access iCloud Data on the Web" (iPhone: Settings > [your name] > iCloud), or turn off Advanced Data Protection (Settings > [your name] > iCloud > Advanced Data Protection); wait a few minutes, then try again',
    },
  );
}

export function indexing(progress?: number): IcloudError {
  return new IcloudError(
    ICLOUD_ERRORS.INDEXING,
    `Apple has not finished indexing this iCloud Photos library${progress === undefined ? '' : ` (${progress}% done)`}`,
    { hint: 'this can take hours or days on a new library; try again later' },
  );
}

export function wrongDomain(domainToUse: string): IcloudError {
  const cn = /\.cn$/i.test(domainToUse);
  return new IcloudError(ICLOUD_ERRORS.WRONG_DOMAIN, `Apple wants this account to use ${domainToUse}`, {
    hint: cn
      ? 'set domain=cn on this source (lifeboat source set <source> domain=cn), then sign in again'
      : 'set domain=com on this source, then sign in again',
  });
}

export function loginRequired(why: string, source?: string): IcloudError {
  return new IcloudError(ICLOUD_ERRORS.LOGIN_REQUIRED, why, { hint: loginHint(source) });
}

export function notActivated(reason: string): IcloudError {
  return new IcloudError(ICLOUD_ERRORS.NOT_ACTIVATED, `iCloud Photos is not available for this account: ${reason}`, {
    hint: 'sign in once at https://www.icloud.com and open Photos to finish the setup, then try again',
  });
}

export function protocolError(what: string, cause?: unknown): IcloudError {
  return new IcloudError(ICLOUD_ERRORS.PROTOCOL, `Unexpected answer from iCloud: ${what}`, {
    hint: 'try again later; if it persists, report it with this message (it names no secrets)',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A 503/429 answer: retryable, and marked so callers can slow down (Lifeboat's pacer already honours Retry-After). */
export type ThrottledError = TransientError & { throttled: true; retryAfterMs?: number };

export function throttled(where: string, retryAfterMs?: number): ThrottledError {
  const error = new TransientError(`iCloud is temporarily refusing requests (503 at ${where})`, {
    hint: 'Apple throttles busy clients; Lifeboat backs off and tries again',
  }) as ThrottledError;
  error.throttled = true;
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

export function isThrottled(error: unknown): error is ThrottledError {
  return error instanceof TransientError && (error as Partial<ThrottledError>).throttled === true;
}

/** What an error body from Apple says, in the shapes of docs/icloud-protocol.md §Errors. */
export interface AppleErrorInfo {
  code?: string;
  reason?: string;
}

export function readAppleError(body: Json | undefined): AppleErrorInfo {
  if (!isObject(body)) return {};
  for (const listKey of ['service_errors', 'serviceErrors']) {
    const first = arrayAt(body, listKey)?.[0];
    if (isObject(first)) {
      const info: AppleErrorInfo = {};
      const code = stringAt(first, 'code') ?? numberAt(first, 'code')?.toString();
      const reason = stringAt(first, 'message') ?? stringAt(first, 'title');
      if (code !== undefined) info.code = code;
      if (reason !== undefined) info.reason = reason;
      return info;
    }
  }
  const info: AppleErrorInfo = {};
  const reason =
    stringAt(body, 'errorMessage') ??
    stringAt(body, 'reason') ??
    stringAt(body, 'errorReason') ??
    stringAt(body, 'error');
  const code =
    stringAt(body, 'serverErrorCode') ??
    stringAt(body, 'errorCode') ??
    numberAt(body, 'errorCode')?.toString() ??
    numberAt(body, 'error')?.toString();
  if (reason !== undefined) info.reason = reason;
  if (code !== undefined) info.code = code;
  return info;
}

/**
 * Maps a CloudKit (Photos database) error to what the user must do. Returns undefined when the body is not a
 * known error. `advancedDataProtection`: the account said ADP is on (iCDPEnabled), so ZONE_NOT_FOUND means
 * web access is off rather than an unfinished setup. Per-record errors (`records[i].serverErrorCode`) are checked by the caller.
 */
export function cloudKitError(
  status: number,
  body: Json | undefined,
  source?: string,
  advancedDataProtection = false,
): Error | undefined {
  const info = readAppleError(body);
  const code = info.code?.toUpperCase();
  if (code === 'ACCESS_DENIED' || /private db access disabled/i.test(info.reason ?? ''))
    return webAccessOff(info.reason);
  // With Advanced Data Protection on, the zones are not offered to the web: the same answer as a missing zone.
  if (code === 'ZONE_NOT_FOUND' && advancedDataProtection)
    return webAccessOff('Advanced Data Protection is on and the library is not offered to the web');
  if (code === 'ZONE_NOT_FOUND' || code === 'AUTHENTICATION_FAILED') return notActivated(info.reason ?? code);
  if (code === 'THROTTLED' || code === 'TRY_AGAIN_LATER' || code === 'SERVICE_UNAVAILABLE' || status === 503)
    return throttled('the photo library');
  if (code === 'AUTHENTICATION_REQUIRED' || /invalid global session/i.test(info.reason ?? ''))
    return loginRequired('The iCloud session expired', source);
  const domain = isObject(body) ? stringAt(body, 'domainToUse') : undefined;
  if (domain) return wrongDomain(domain);
  if (code === 'INTERNAL_ERROR' || status >= 500)
    return new TransientError(`iCloud failed internally (${info.reason ?? status})`, {
      hint: "a fault on Apple's side; Lifeboat tries again later",
    });
  if (status >= 400 || code !== undefined)
    return protocolError(`HTTP ${status}${info.reason ? `: ${info.reason}` : ''}`);
  return undefined;
}

/** The indexing state record of CheckIndexingState (docs/icloud-protocol.md §Indexing state). */
export function indexingState(body: Json | undefined): { state?: string; progress?: number } {
  const record = arrayAt(body, 'records')?.[0];
  const fields = objectAt(record, 'fields');
  const out: { state?: string; progress?: number } = {};
  const state = stringAt(objectAt(fields, 'state'), 'value');
  const progress = numberAt(objectAt(fields, 'progress'), 'value');
  if (state !== undefined) out.state = state;
  if (progress !== undefined) out.progress = progress;
  return out;
}
