import type { InstanceContext, ScopedSecrets, Settings, SourceFactory, SourceHealth } from '@lifeboat/plugin-api';
import { SECRET_KEYS } from './auth/session.js';
import { parseSession } from './http/session-state.js';

/** When the last two-factor sign-in happened (ISO time): kept beside the trust token it produced. */
export const TRUSTED_AT_KEY = 'trustedAt';

/**
 * How long Apple honours a trust token before asking for a new code. Apple does not publish it; accounts see one
 * to three months, so the estimate is the short end: warning early costs one extra sign-in, warning late
 * costs stopped backups.
 */
export const TRUST_LIFETIME_DAYS = 30;
/** Warn this many days before the estimated end. */
export const LOGIN_WARN_DAYS = 7;

const DAY_MS = 86_400_000;

/** The session's health from the keychain alone: whether a session is stored, and the age of the last 2FA. */
export async function icloudHealth(secrets: ScopedSecrets, source: string, now = new Date()): Promise<SourceHealth> {
  const [sessionText, trustedAt] = await Promise.all([secrets.get(SECRET_KEYS.session), secrets.get(TRUSTED_AT_KEY)]);
  const session = parseSession(sessionText);
  const login = `run \`lifeboat login ${source}\``;
  if (!session || (!session.sessionToken && session.cookies.length === 0)) {
    return { state: 'login-required', message: `not signed in: ${login}` };
  }
  const at = trustedAt ? Date.parse(trustedAt) : Number.NaN;
  if (Number.isNaN(at))
    return { state: 'ok', message: 'signed in; the date of the last two-factor sign-in is not known' };
  const expires = at + TRUST_LIFETIME_DAYS * DAY_MS;
  const days = Math.floor((now.getTime() - at) / DAY_MS);
  const base = { lastLoginAt: new Date(at).toISOString(), loginExpiresAt: new Date(expires).toISOString() };
  if (now.getTime() >= expires - LOGIN_WARN_DAYS * DAY_MS) {
    return {
      state: 'login-soon',
      ...base,
      message: `last two-factor sign-in ${days} days ago; Apple will ask for a new code soon: ${login}`,
    };
  }
  return { state: 'ok', ...base, message: `last two-factor sign-in ${days} days ago` };
}

/**
 * Adds `health()` to the factory's sources, and records when a login went through two-factor authentication:
 * a login that leaves a new trust token behind was one (a login within the trust period reuses the old token).
 */
export function withHealth(factory: SourceFactory, clock: () => Date = () => new Date()): SourceFactory {
  const login = factory.login;
  return {
    async create(settings: Settings, context: InstanceContext) {
      const source = await factory.create(settings, context);
      source.health = () => icloudHealth(context.secrets, context.name, clock());
      return source;
    },
    ...(login
      ? {
          async login(settings: Settings, context: InstanceContext, prompts) {
            const before = await context.secrets.get(SECRET_KEYS.trustToken);
            await login(settings, context, prompts);
            const after = await context.secrets.get(SECRET_KEYS.trustToken);
            if (after && after !== before) await context.secrets.set(TRUSTED_AT_KEY, clock().toISOString());
          },
        }
      : {}),
  };
}
