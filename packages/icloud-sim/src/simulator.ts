/**
 * startSimulator(): one loopback HTTP server playing every Apple host under its real path prefix:
 *   /appleauth/auth/...          idmsa.apple.com (authUrl)
 *   /setup/ws/1/...              setup.icloud.com (setupUrl)
 *   /database/1/...              pNN-ckdatabasews.icloud.com (handed out as webservices.ckdatabasews.url)
 *   /B/<id>/${f}?...             cvws.icloud-content.com (handed out as downloadURL)
 *   /control/...                 the simulator's own control API
 * Fault switches that apply to every host (throttling, latency) are handled here, before routing.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountSpec, DEFAULT_ACCOUNTS, prepareAccount, type SimAccount } from './accounts.js';
import { handleAuth } from './auth-service.js';
import { CK_PREFIX, CloudKitService } from './cloudkit-service.js';
import type { SimContext } from './context.js';
import { handleControl } from './control-service.js';
import { Counters } from './counters.js';
import { handleDownload } from './download-service.js';
import { defaultFaults, type FaultScope, type Faults } from './faults.js';
import { parseJson, readBody, sendJson, sendText } from './http-util.js';
import { Library } from './library.js';
import { SessionStore } from './session-store.js';
import { handleSetup } from './setup-service.js';

export interface SimulatorOptions {
  /** Assets in the PrimarySync library (default 10). */
  assets?: number;
  /** Seed of the generated library and of the accounts' salts (default 1). */
  seed?: number;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Accounts (default: DEFAULT_ACCOUNTS: an s2k 2FA account first, an s2k_fo 2FA one, a non-2FA one). */
  accounts?: AccountSpec[];
  /** Assets in the SharedSync library, served from the shared database (default min(20, ceil(assets/5)); 0: none). */
  sharedAssets?: number;
  /** Multiplies generated resource sizes (default 1: tens to hundreds of KiB per file). */
  sizeScale?: number;
  /** Server-side lifetime of a web session (X-APPLE-WEBAUTH-TOKEN), default 1 hour. */
  sessionTtlMs?: number;
  /** Lifetime of 2sv/trust tokens, default 30 days. */
  trustTtlMs?: number;
  /** Lifetime of download URLs, default 1 hour (Apple's `e=` is ~1 h after the response). */
  downloadUrlTtlMs?: number;
  /** Clock, for tests that move time forward. */
  now?: () => number;
}

export interface SimulatorAccountInfo {
  appleId: string;
  password: string;
  /** The 2FA code the trusted devices and SMS accept ('' for non-2FA accounts). */
  code: string;
}

export interface Simulator {
  /** Base of idmsa's auth endpoints, like https://idmsa.apple.com/appleauth/auth. */
  authUrl: string;
  /** Base of the setup endpoints, like https://setup.icloud.com/setup/ws/1. */
  setupUrl: string;
  controlUrl: string;
  /** http://127.0.0.1:<port>; also the ckdatabasews URL handed out by accountLogin. */
  baseUrl: string;
  /** The default (first) account. */
  account: SimulatorAccountInfo;
  accounts: SimAccount[];
  /** PrimarySync. */
  library: Library;
  /** SharedSync-..., when sharedAssets > 0. */
  sharedLibrary: Library | undefined;
  counters: Counters;
  /** Live fault switches: assign to them directly. */
  faults: Faults;
  /** Revokes every web session now (next CloudKit call: 421). */
  expireSessions(): void;
  /** Invalidates every 2sv trust token (next sign-in needs 2FA again). */
  expireTrustTokens(): void;
  /** Ends every web session, trust token and session token: the client must sign in with password and code. */
  endAllSessions(): void;
  /** Invalidates every sync token handed out (changes/zone answers CHANGE_TOKEN_EXPIRED). */
  expireSyncTokens(): void;
  stop(): Promise<void>;
}

const SHARED_ZONE = 'SharedSync-5D1E7A2B-0C3F-4A1B-9E8D-7F6A5B4C3D2E';

function scopeOf(path: string): FaultScope {
  if (path.startsWith('/appleauth/auth')) return 'auth';
  if (path.startsWith('/setup/ws/1')) return 'setup';
  if (path.startsWith('/database/')) return 'cloudkit';
  return 'download';
}

/** Strips one duplicated base, so clients that append Apple's path to an already-full base URL still work. */
function normalise(path: string): string {
  for (const base of ['/appleauth/auth', '/setup/ws/1']) {
    if (path.startsWith(`${base}${base}`)) return path.slice(base.length);
  }
  return path;
}

function label(path: string, method: string): string {
  if (path.startsWith('/appleauth/auth'))
    return `auth ${path.slice('/appleauth/auth'.length).replace(/^\//, '') || method}`;
  if (path.startsWith('/setup/ws/1/')) return `setup ${path.slice('/setup/ws/1/'.length)}`;
  if (path.startsWith(CK_PREFIX)) return `ck ${path.slice(CK_PREFIX.length).replace('/', ' ')}`;
  if (path.startsWith('/B/')) return 'download';
  return `other ${path}`;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const count = options.assets ?? 10;
  const now = options.now ?? Date.now;
  const accounts = (options.accounts ?? DEFAULT_ACCOUNTS).map((spec) => prepareAccount(spec, seed));
  const owner = `_${randomBytes(16).toString('hex')}`;
  const sharedCount = options.sharedAssets ?? Math.min(20, Math.ceil(count / 5));
  const libraries = [
    new Library({
      seed,
      zoneName: 'PrimarySync',
      ownerRecordName: owner,
      count,
      sizeScale: options.sizeScale ?? 1,
      now,
    }),
  ];
  if (sharedCount > 0) {
    libraries.push(
      new Library({
        seed: seed + 7919,
        zoneName: SHARED_ZONE,
        ownerRecordName: owner,
        count: sharedCount,
        sizeScale: options.sizeScale ?? 1,
        now,
        albums: false,
      }),
    );
  }
  const faults = defaultFaults();
  const counters = new Counters();
  const ctx: SimContext = {
    baseUrl: '',
    accounts: new Map(accounts.map((a) => [a.appleId.toLowerCase(), a])),
    sessions: new SessionStore(now, {
      sessionMs: options.sessionTtlMs ?? 3_600_000,
      trustMs: options.trustTtlMs ?? 30 * 86_400_000,
    }),
    libraries,
    faults,
    counters,
    now,
    downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3_600_000,
    urlSecret: randomBytes(32),
  };
  const cloudkit = new CloudKitService(ctx);
  const urls = { authUrl: '', setupUrl: '', controlUrl: '' };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    const path = normalise(url.pathname);
    const method = req.method ?? 'GET';
    if (path.startsWith('/control')) {
      const body = parseJson(await readBody(req));
      return handleControl(
        ctx,
        urls,
        req,
        res,
        path.slice('/control'.length).replace(/^\//, ''),
        url.searchParams,
        body,
      );
    }
    const name = label(path, method);
    counters.request(name);
    res.on('finish', () => counters.response(name, res.statusCode));
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.throttle > 0 && (faults.throttleScope === 'all' || faults.throttleScope === scopeOf(path))) {
      faults.throttle--;
      await readBody(req);
      const retryAfter: Record<string, string> =
        faults.throttleRetryAfterSeconds > 0 ? { 'Retry-After': `${faults.throttleRetryAfterSeconds}` } : {};
      return sendText(res, 503, 'Service Temporary Unavailable', retryAfter);
    }
    if (path.startsWith('/B/')) return handleDownload(ctx, req, res, url);
    const body = parseJson(await readBody(req));
    if (path === '/appleauth/auth' || path.startsWith('/appleauth/auth/')) {
      return handleAuth(ctx, req, res, path.slice('/appleauth/auth'.length).replace(/^\//, ''), body);
    }
    if (path.startsWith('/setup/ws/1/')) return handleSetup(ctx, req, res, path.slice('/setup/ws/1/'.length), body);
    if (path.startsWith(CK_PREFIX)) return cloudkit.handle(req, res, path.slice(CK_PREFIX.length), body);
    sendJson(res, 404, { error: `not found: ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { serverErrorCode: 'INTERNAL_ERROR', reason: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://127.0.0.1:${port}`;
  urls.authUrl = `${ctx.baseUrl}/appleauth/auth`;
  urls.setupUrl = `${ctx.baseUrl}/setup/ws/1`;
  urls.controlUrl = `${ctx.baseUrl}/control`;
  const first = accounts[0]!;

  return {
    ...urls,
    baseUrl: ctx.baseUrl,
    account: { appleId: first.appleId, password: first.password, code: first.twoFactor ? first.code : '' },
    accounts,
    library: libraries[0]!,
    sharedLibrary: libraries[1],
    counters,
    faults,
    expireSessions: () => ctx.sessions.expireWebSessions(),
    expireTrustTokens: () => ctx.sessions.expireTrustTokens(),
    endAllSessions: () => ctx.sessions.endAllSessions(),
    expireSyncTokens: () => {
      for (const library of libraries) library.expireSyncTokens();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
