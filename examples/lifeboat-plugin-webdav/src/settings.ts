import { ConfigError, DEFAULT_LAYOUT, type Settings, validateLayout } from '@lifeboat/plugin-api';

export interface WebdavOptions {
  /** URL of the folder that holds the copies; always ends with `/`. Never carries credentials. */
  url: URL;
  username?: string;
  password?: string;
  layout: string;
  offsite: boolean;
  /** Overrides the medium reported to the 3-2-1 check (default `webdav:<host>`). */
  medium?: string;
  /** A request that receives nothing for this long fails as retryable (default 60 s). */
  timeoutMs: number;
}

/**
 * Reads the settings declared in package.json (the host validated them against the schema; a factory may be called
 * by other code too, so each is checked again) and the password from the keychain.
 */
export function webdavOptions(settings: Settings, password?: string): WebdavOptions {
  const raw = settings.url;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ConfigError('Setting "url" must be the URL of a WebDAV folder', { hint: 'Set "url" to https://...' });
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`Setting "url" is not a URL: ${JSON.stringify(raw)}`, { hint: 'Give a full https:// URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Setting "url" must start with https:// or http://, not ${url.protocol}`);
  }
  // A password in the URL would end up in the config file: it belongs in the keychain (--secret password).
  if (url.username || url.password) {
    throw new ConfigError('Setting "url" must not hold a user name or password', {
      hint: 'Set "username", and give the password with --secret password',
    });
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const layout = optional(settings, 'layout', 'string') ?? DEFAULT_LAYOUT;
  validateLayout(layout);
  const username = optional(settings, 'username', 'string');
  const medium = optional(settings, 'medium', 'string');
  const timeoutSeconds = optional(settings, 'timeoutSeconds', 'number') ?? 60;
  if (!(timeoutSeconds > 0)) throw new ConfigError('Setting "timeoutSeconds" must be a positive number');
  return {
    url,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    layout,
    offsite: optional(settings, 'offsite', 'boolean') ?? false,
    ...(medium === undefined ? {} : { medium }),
    timeoutMs: timeoutSeconds * 1000,
  };
}

type Kinds = { string: string; boolean: boolean; number: number };

function optional<T extends keyof Kinds>(settings: Settings, name: string, type: T): Kinds[T] | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== type) throw new ConfigError(`Setting "${name}" must be a ${type}`);
  return value as Kinds[T];
}
