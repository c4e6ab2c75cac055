/** The control API (/control, plain HTTP + JSON): state, counters, library changes and fault switches. See README.md. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddOptions } from './asset-spec.js';
import type { SimContext } from './context.js';
import { applyFaults, resetFaults } from './faults.js';
import { asRecord, sendJson } from './http-util.js';
import type { Library, Selection } from './library.js';
import { checkPace } from './pace.js';

export interface ControlUrls {
  authUrl: string;
  setupUrl: string;
  controlUrl: string;
}

function selection(input: Record<string, unknown>): Selection {
  if (Array.isArray(input.ids)) return { ids: input.ids.map(String) };
  if (Array.isArray(input.indexes)) return { indexes: input.indexes.map(Number) };
  return { count: Number(input.count ?? 1) };
}

function libraryFor(ctx: SimContext, input: Record<string, unknown>): Library {
  const zone = input.zone;
  const library = zone === undefined ? ctx.libraries[0] : ctx.libraries.find((l) => l.zoneName === zone);
  if (!library) throw new Error(`no zone ${String(zone)}`);
  return library;
}

export function handleControl(
  ctx: SimContext,
  urls: ControlUrls,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  body: unknown,
) {
  const input = asRecord(body);
  const method = req.method ?? 'GET';
  try {
    if (method === 'GET' && (path === '' || path === 'state')) {
      return sendJson(res, 200, {
        ...urls,
        downloadBaseUrl: ctx.downloadBaseUrl,
        profile: ctx.pace,
        inFlight: { cloudkit: ctx.gate.inFlight('cloudkit'), download: ctx.gate.inFlight('download') },
        accounts: [...ctx.accounts.values()].map((a) => ({
          appleId: a.appleId,
          password: a.password,
          code: a.code,
          protocol: a.protocol,
          twoFactor: a.twoFactor,
          phones: a.phones,
        })),
        zones: ctx.libraries.map((l) => ({
          zoneName: l.zoneName,
          size: l.size,
          live: l.ordering('all').length,
          hidden: l.ordering('hidden').length,
          recentlyDeleted: l.ordering('deleted').length,
          seq: l.seq,
        })),
        faults: ctx.faults,
        sessions: ctx.sessions.counts(),
      });
    }
    if (method === 'GET' && path === 'counters') return sendJson(res, 200, ctx.counters.snapshot());
    if (method === 'POST' && path === 'counters/reset') {
      ctx.counters.reset();
      return sendJson(res, 200, ctx.counters.snapshot());
    }
    if (method === 'GET' && path === 'assets') {
      const library = libraryFor(ctx, Object.fromEntries(query));
      const offset = Number(query.get('offset') ?? 0);
      const limit = Math.min(10_000, Number(query.get('limit') ?? 1000));
      const assets = [];
      for (let i = offset; i < Math.min(library.size, offset + limit); i++) assets.push(library.summary(i));
      return sendJson(res, 200, { zone: library.zoneName, size: library.size, assets });
    }
    if (method === 'POST' && path === 'faults') return sendJson(res, 200, applyFaults(ctx.faults, input));
    if (method === 'POST' && path === 'faults/reset') return sendJson(res, 200, resetFaults(ctx.faults));
    if (method === 'GET' && path === 'profile') return sendJson(res, 200, ctx.pace);
    if (method === 'POST' && path === 'profile') return sendJson(res, 200, Object.assign(ctx.pace, checkPace(input)));
    if (method === 'POST' && path === 'profile/forgive') {
      ctx.gate.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === 'clock') {
      const ms = Number(input.advanceMs);
      if (!Number.isFinite(ms) || ms < 0) throw new Error('advanceMs must be a number of milliseconds ≥ 0');
      ctx.advanceClock(ms);
      return sendJson(res, 200, { now: ctx.now() });
    }
    if (method === 'POST' && path === 'expire-sessions') {
      ctx.sessions.expireWebSessions();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === 'end-sessions') {
      ctx.sessions.endAllSessions();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === 'expire-trust') {
      ctx.sessions.expireTrustTokens();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === 'expire-sync-tokens') {
      for (const library of ctx.libraries) library.expireSyncTokens();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && (path === 'describe' || path === 'album-add' || path === 'album-remove')) {
      const library = libraryFor(ctx, input);
      const chosen = selection(input);
      let indexes: number[];
      if (path === 'describe') {
        const { caption, keywords, location, timeZoneName } = input;
        indexes = library.describe(chosen, { caption, keywords, location, timeZoneName });
        const flags: { favorite?: boolean; hidden?: boolean } = {};
        if (typeof input.favorite === 'boolean') flags.favorite = input.favorite;
        if (typeof input.hidden === 'boolean') flags.hidden = input.hidden;
        if (Object.keys(flags).length > 0) library.setFlags({ indexes }, flags);
      } else {
        indexes = library.setAlbum(chosen, String(input.album ?? ''), path === 'album-add');
      }
      return sendJson(res, 200, { zone: library.zoneName, assets: indexes.map((i) => library.summary(i)) });
    }
    if (method === 'POST' && ['add', 'edit', 'delete', 'expunge', 'recover'].includes(path)) {
      const library = libraryFor(ctx, input);
      let indexes: number[];
      if (path === 'add') {
        const options: AddOptions = {};
        if (typeof input.kind === 'string') options.kind = input.kind as AddOptions['kind'];
        if (typeof input.size === 'number') options.size = input.size;
        if (typeof input.filename === 'string') options.filename = input.filename;
        indexes = library.add(Number(input.count ?? 1), options);
      } else {
        indexes = library[path as 'edit' | 'delete' | 'expunge' | 'recover'](selection(input));
      }
      return sendJson(res, 200, { zone: library.zoneName, assets: indexes.map((i) => library.summary(i)) });
    }
    sendJson(res, 404, { error: `no such control endpoint: ${method} /control/${path}` });
  } catch (error) {
    sendJson(res, 400, { error: (error as Error).message });
  }
}
