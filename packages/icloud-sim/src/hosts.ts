/**
 * The two servers' request handlers. The API server plays idmsa (/appleauth/auth), setup (/setup/ws/1) and
 * ckdatabasews (/database/1) under their real paths, plus the control API; the content server plays
 * cvws.icloud-content.com (/B/...). Faults and the pace profile (latency, concurrency limits, Retry-After and its
 * penalty, the sign-in burst limit) are applied here, before routing; the control API is never delayed or limited.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAuth } from './auth-service.js';
import { CK_PREFIX, type CloudKitService, isListingRequest } from './cloudkit-service.js';
import type { SimContext } from './context.js';
import { type ControlUrls, handleControl } from './control-service.js';
import { handleDownload } from './download-service.js';
import type { FaultScope } from './faults.js';
import type { Admission, Host } from './gate.js';
import { type Headers, parseCookies, parseJson, readBody, sendJson, sendText } from './http-util.js';
import { misdirected, splitPartition } from './partition.js';
import { handleSetup, WEB_TOKEN_COOKIE } from './setup-service.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function scopeOf(path: string): Exclude<FaultScope, 'all'> {
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

const UNAVAILABLE = 'Service Temporary Unavailable';

/**
 * A 503: CloudKit's JSON error for the pace limits on ckdatabasews (TRY_AGAIN_LATER is its 503, sent with a
 * Retry-After header), Apple's plain text elsewhere and for the `throttle` fault.
 */
async function refuse(req: IncomingMessage, res: ServerResponse, host: Host | 'fault', retryAfter?: number) {
  await readBody(req).catch(() => undefined);
  const headers: Headers = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  if (host === 'cloudkit') {
    return sendJson(
      res,
      503,
      { uuid: randomUUID(), serverErrorCode: 'TRY_AGAIN_LATER', reason: 'Service Unavailable' },
      headers,
    );
  }
  sendText(res, 503, UNAVAILABLE, headers);
}

/** Counts the request and its answer, then applies the fault switches shared by every host. Returns false if answered. */
async function common(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const name = label(path, req.method ?? 'GET');
  ctx.counters.request(name);
  res.on('finish', () => ctx.counters.response(name, res.statusCode));
  const { faults } = ctx;
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.throttle > 0 && (faults.throttleScope === 'all' || faults.throttleScope === scopeOf(path))) {
    faults.throttle--;
    await refuse(
      req,
      res,
      'fault',
      faults.throttleRetryAfterSeconds > 0 ? faults.throttleRetryAfterSeconds : undefined,
    );
    return false;
  }
  return true;
}

/**
 * Admits a request under the pace profile. The slot is freed as the answer's last bytes go out (`end()`, or the
 * download's last slice: see handleDownload), not when Node later reports it finished: a client that starts its
 * next request the moment it has read an answer must find the slot free. Also freed if the client leaves.
 */
function admitted(res: ServerResponse, admission: Admission): boolean {
  if (!admission.ok) return false;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    admission.release();
    return end(...args);
  }) as ServerResponse['end'];
  res.once('close', admission.release);
  return true;
}

export function apiHandler(ctx: SimContext, cloudkit: CloudKitService, urls: ControlUrls): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    const { path: unpartitioned, partition } = splitPartition(url.pathname);
    const path = normalise(unpartitioned);
    const method = req.method ?? 'GET';
    if (path.startsWith('/control')) {
      const body = parseJson(await readBody(req));
      const sub = path.slice('/control'.length).replace(/^\//, '');
      return handleControl(ctx, urls, req, res, sub, url.searchParams, body);
    }
    if (!(await common(ctx, req, res, path))) return;
    const client = req.socket.remoteAddress ?? 'unknown';
    const isAuth = path === '/appleauth/auth' || path.startsWith('/appleauth/auth/');
    if (isAuth && method === 'POST' && path.endsWith('/signin/init') && !ctx.gate.admitSignin(client)) {
      // As recorded (failed_auth_503.yml): text/html, an scnt header, no Retry-After.
      await readBody(req).catch(() => undefined);
      return sendText(
        res,
        503,
        UNAVAILABLE,
        { scnt: randomBytes(12).toString('base64url') },
        'text/html;charset=UTF-8',
      );
    }
    if (path.startsWith(CK_PREFIX)) {
      // Limits are per signed-in user (whichever of its web tokens is sent), as CloudKit throttles per user;
      // without a live session, per address.
      const web = ctx.sessions.webSession(parseCookies(req).get(WEB_TOKEN_COOKIE));
      const admission = ctx.gate.admit('cloudkit', web ? `user ${web.account.appleId}` : client);
      if (!admitted(res, admission)) {
        return refuse(req, res, 'cloudkit', admission.ok ? undefined : admission.retryAfterSeconds);
      }
    }
    const body = parseJson(await readBody(req));
    const op = path.startsWith(CK_PREFIX) ? path.slice(CK_PREFIX.length).replace(/^[^/]+\//, '') : '';
    const wait = op && isListingRequest(op, body) ? ctx.pace.cloudkitLatencyMs : ctx.pace.apiLatencyMs;
    if (wait > 0) await sleep(wait);
    if (isAuth) return handleAuth(ctx, req, res, path.slice('/appleauth/auth'.length).replace(/^\//, ''), body);
    if (path.startsWith('/setup/ws/1/')) return handleSetup(ctx, req, res, path.slice('/setup/ws/1/'.length), body);
    if (path.startsWith(CK_PREFIX) && !misdirected(ctx, partition, res))
      return cloudkit.handle(req, res, path.slice(CK_PREFIX.length), body);
    if (res.headersSent) return;
    sendJson(res, 404, { error: `not found: ${method} ${path}` });
  };
}

/** The content host: `/B/...` only, no cookies read, limits per client address (it knows no session). */
export function downloadHandler(ctx: SimContext): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', ctx.downloadBaseUrl);
    if (!url.pathname.startsWith('/B/')) return sendText(res, 404, 'Not Found');
    if (!(await common(ctx, req, res, url.pathname))) return;
    const admission = ctx.gate.admit('download', req.socket.remoteAddress ?? 'unknown');
    if (!admitted(res, admission)) {
      return refuse(req, res, 'download', admission.ok ? undefined : admission.retryAfterSeconds);
    }
    if (ctx.pace.downloadLatencyMs > 0) await sleep(ctx.pace.downloadLatencyMs);
    if (res.destroyed) return;
    return handleDownload(ctx, req, res, url, admission.ok ? admission.release : undefined);
  };
}
