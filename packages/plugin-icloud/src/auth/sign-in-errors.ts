import { ICLOUD_ERRORS, IcloudError, loginHint } from '../errors.js';
import { arrayAt, isObject, type Json, objectAt } from '../json.js';

/** Minutes to suggest when Apple limits sign-ins without saying for how long (reports: tens of minutes). */
const DEFAULT_WAIT_MINUTES = 30;

/**
 * A 503 (or 429) on `signin/init` or `signin/complete`: Apple limits sign-ins. Never retried: clients that
 * retry into it make the lockout last longer.
 */
export function signInLimited(retryAfterMs: number | undefined): IcloudError {
  const minutes = retryAfterMs === undefined ? DEFAULT_WAIT_MINUTES : Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new IcloudError(
    ICLOUD_ERRORS.SIGN_IN_LIMITED,
    `Apple is limiting sign-ins; wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`,
    {
      hint: `Apple answered 503 to the sign-in: too many sign-ins in a short time (from Lifeboat or other tools). Wait ${minutes} minutes without signing in anywhere with this Apple Account, then run \`lifeboat login\` again`,
    },
  );
}

/** A 403 from `signin/complete`: Apple says this for rate limits and stale cookies, not only for passwords. */
export function signInRefused(source?: string): IcloudError {
  return new IcloudError(
    ICLOUD_ERRORS.SIGN_IN_REFUSED,
    'Apple refused the sign-in (HTTP 403); this is usually not a wrong password: Apple answers 403 when it limits sign-ins or no longer accepts the session cookies it handed out',
    {
      hint: `wait 15 minutes and ${loginHint(source)}; if it keeps happening, sign in once at https://www.icloud.com in a browser, and check the Apple ID and password there`,
    },
  );
}

/** The account's second factor is a hardware security key (FIDO), which the web flow here cannot use. */
export function securityKeyRequired(keyNames: string[]): IcloudError {
  const named = keyNames.length > 0 ? ` (${keyNames.join(', ')})` : '';
  return new IcloudError(
    ICLOUD_ERRORS.SECURITY_KEY,
    `This Apple Account signs in with a security key${named}; Lifeboat cannot use security keys to sign in`,
    {
      hint: 'remove the security keys from the Apple Account (iPhone: Settings > [your name] > Sign-In & Security > Security Keys) so Apple asks for a 6-digit code instead, run `lifeboat login` again, then add the keys back if you like: the trust token Lifeboat keeps spares later sign-ins the second factor until Apple expires it',
    },
  );
}

/** Apple keeps answering 421 Misdirected Request for the photo database even after its address was asked again. */
export function misdirected(source?: string): IcloudError {
  return new IcloudError(
    ICLOUD_ERRORS.MISDIRECTED,
    'iCloud keeps sending the photo library requests to another server (HTTP 421 Misdirected Request), even after Lifeboat asked Apple again where this account is served from',
    {
      hint: `Apple is moving the account between its servers (partitions); wait an hour and try again; if it persists, ${loginHint(source)}`,
    },
  );
}

/**
 * Whether an auth answer (the 409 of `signin/complete`, or the auth options page) asks for a security key:
 * Apple sends an `fsaChallenge`, `keyNames` or a `securityKey` entry. Returns the key names (possibly empty),
 * or undefined when no security key is asked for.
 */
export function securityKeyNames(body: Json | undefined): string[] | undefined {
  if (!isObject(body)) return undefined;
  const found = findKey(body, 0);
  return found;
}

function findKey(value: Json, depth: number): string[] | undefined {
  if (!isObject(value) || depth > 6) return undefined;
  const names = (arrayAt(value, 'keyNames') ?? []).filter((n): n is string => typeof n === 'string');
  if (objectAt(value, 'fsaChallenge') || objectAt(value, 'securityKey') || names.length > 0) return names;
  for (const child of Object.values(value)) {
    if (isObject(child)) {
      const inner = findKey(child, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}
