/**
 * A small RFC 6265 cookie jar: Apple keeps the session in cookies (X-APPLE-WEBAUTH-TOKEN and friends), and the
 * jar is saved with the session so a later run can reuse it. Cookies are scoped by domain and path, expired ones
 * are dropped, and a server cannot set a cookie for a domain it does not belong to (except on loopback, where a
 * simulated iCloud stands in for several Apple hosts).
 */

export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  /** ms since epoch; absent for a session cookie (kept anyway, like icloudpd's `ignore_discard`). */
  expires?: number;
  secure: boolean;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieJar {
  #cookies: StoredCookie[] = [];

  constructor(cookies: readonly StoredCookie[] = []) {
    this.#cookies = cookies.filter(isStoredCookie).map((c) => ({ ...c }));
  }

  /** Stores the cookies of one response (`Set-Cookie` headers, one per entry). */
  store(url: URL, setCookieHeaders: readonly string[], now = Date.now()): void {
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(url, header, now);
      if (!cookie) continue;
      this.#cookies = this.#cookies.filter(
        (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
      );
      if (cookie.expires === undefined || cookie.expires > now) this.#cookies.push(cookie);
    }
  }

  /** The `Cookie` header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL, now = Date.now()): string | undefined {
    const host = url.hostname.toLowerCase();
    const secureOk = url.protocol === 'https:' || isLoopbackHost(host);
    const pairs = this.#cookies
      .filter((c) => c.expires === undefined || c.expires > now)
      .filter((c) => (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)))
      .filter((c) => pathMatches(url.pathname || '/', c.path))
      .filter((c) => !c.secure || secureOk)
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  get(name: string): StoredCookie | undefined {
    return this.#cookies.find((c) => c.name === name);
  }

  toJSON(): StoredCookie[] {
    return this.#cookies.map((c) => ({ ...c }));
  }

  clear(): void {
    this.#cookies = [];
  }
}

export function parseSetCookie(url: URL, header: string, now = Date.now()): StoredCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  if (pair === undefined) return undefined;
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (name === '' || /[\s;,]/.test(name)) return undefined;
  const host = url.hostname.toLowerCase();
  const cookie: StoredCookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url), secure: false };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (key === 'domain' && val !== '') {
      const domain = val.replace(/^\./, '').toLowerCase();
      if (domainMatches(host, domain)) {
        cookie.domain = domain;
        cookie.hostOnly = false;
      } else if (!isLoopbackHost(host)) {
        return undefined; // a host may not set cookies for another domain
      }
    } else if (key === 'path' && val.startsWith('/')) {
      cookie.path = val;
    } else if (key === 'secure') {
      cookie.secure = true;
    } else if (key === 'max-age' && /^-?\d+$/.test(val)) {
      cookie.expires = now + Number(val) * 1000;
      maxAgeSeen = true;
    } else if (key === 'expires' && !maxAgeSeen) {
      const t = Date.parse(val.replace(/-/g, ' '));
      if (Number.isFinite(t)) cookie.expires = t;
    }
  }
  return cookie;
}

function isStoredCookie(value: unknown): value is StoredCookie {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.name === 'string' &&
    typeof c.value === 'string' &&
    typeof c.domain === 'string' &&
    typeof c.hostOnly === 'boolean' &&
    typeof c.path === 'string' &&
    typeof c.secure === 'boolean' &&
    (c.expires === undefined || typeof c.expires === 'number')
  );
}
