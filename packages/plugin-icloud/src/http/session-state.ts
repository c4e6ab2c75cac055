import { randomUUID } from 'node:crypto';
import { isObject, parseJson, stringAt } from '../json.js';
import type { StoredCookie } from './cookie-jar.js';

/**
 * What a signed-in client remembers between calls and runs (docs/icloud-protocol.md §Client state): the headers Apple
 * hands back (`scnt`, session id and token, account country), the cookies, and where the photo database lives.
 * Kept in the keychain (the instance's secrets, key `session`); the 2FA trust token is kept apart (key
 * `trustToken`) because it outlives sessions.
 */
export interface SessionState {
  clientId: string;
  /** The Apple ID this session belongs to: a session of another account is never reused. */
  appleId?: string;
  scnt?: string;
  sessionId?: string;
  sessionToken?: string;
  accountCountry?: string;
  dsid?: string;
  ckdatabasewsUrl?: string;
  cookies: StoredCookie[];
}

export function newSessionState(): SessionState {
  return { clientId: `auth-${randomUUID().toLowerCase()}`, cookies: [] };
}

export function serializeSession(state: SessionState): string {
  return JSON.stringify({ v: 1, ...state });
}

/** Reads a stored session; anything malformed gives undefined (a fresh sign-in is then needed). */
export function parseSession(text: string | undefined): SessionState | undefined {
  if (!text) return undefined;
  const json = parseJson(text);
  if (!isObject(json) || json.v !== 1) return undefined;
  const clientId = stringAt(json, 'clientId');
  if (!clientId || !Array.isArray(json.cookies)) return undefined;
  const state: SessionState = { clientId, cookies: json.cookies as unknown as StoredCookie[] };
  for (const key of [
    'appleId',
    'scnt',
    'sessionId',
    'sessionToken',
    'accountCountry',
    'dsid',
    'ckdatabasewsUrl',
  ] as const) {
    const v = stringAt(json, key);
    if (v !== undefined) state[key] = v;
  }
  return state;
}

/** Response headers Apple uses to pass state (docs/icloud-protocol.md §Client state), and where they go. */
export const STATE_HEADERS: Record<string, 'scnt' | 'sessionId' | 'sessionToken' | 'accountCountry'> = {
  scnt: 'scnt',
  'x-apple-id-session-id': 'sessionId',
  'x-apple-session-token': 'sessionToken',
  'x-apple-id-account-country': 'accountCountry',
};
