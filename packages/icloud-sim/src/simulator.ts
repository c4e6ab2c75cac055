/**
 * startSimulator(): loopback HTTP servers playing every Apple host under its real path prefix:
 *   /appleauth/auth/...          idmsa.apple.com (authUrl)
 *   /setup/ws/1/...              setup.icloud.com (setupUrl)
 *   /database/1/...              pNN-ckdatabasews.icloud.com (handed out as webservices.ckdatabasews.url)
 *   /control/...                 the simulator's own control API
 * and, on a second server with its own host name (127.0.0.2, or another port where that address is missing):
 *   /B/<id>/${f}?...             cvws.icloud-content.com (handed out as downloadURL)
 * Requests are handled in hosts.ts; the pace profile (pace.ts) sets how slow and strict they are.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountSpec, DEFAULT_ACCOUNTS, prepareAccount, type SimAccount } from './accounts.js';
import { CloudKitService } from './cloudkit-service.js';
import type { SimContext } from './context.js';
import { Counters } from './counters.js';
import { defaultFaults, type Faults } from './faults.js';
import { Gate } from './gate.js';
import { apiHandler, downloadHandler } from './hosts.js';
import { sendJson } from './http-util.js';
import { warmJpegVariants } from './jpeg.js';
import { Library } from './library.js';
import { type PaceProfile, type ProfileName, paceFor } from './pace.js';
import { SessionStore } from './session-store.js';

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
  /** Lifetime of download URLs, default 1 hour (Apple's `e=` is ~1 h after the response); same as `pace.downloadUrlTtlMs`. */
  downloadUrlTtlMs?: number;
  /** Clock, for tests that move time forward. */
  now?: () => number;
  /** How slow and strict the server is: `instant` (default: no waits, no limits) or `apple` (see README.md). */
  profile?: ProfileName;
  /** Overrides of the profile's numbers (e.g. scaled down for a quick test). */
  pace?: Partial<PaceProfile>;
  /** Address of the content host (default 127.0.0.2; 127.0.0.1 on another port if that address cannot be bound). */
  downloadHost?: string;
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
  /** The content host every downloadURL points at (another host name than baseUrl: cookies never reach it). */
  downloadBaseUrl: string;
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
  /** The profile started with ('instant' or 'apple'). */
  profile: ProfileName;
  /** Live pace numbers (the profile with overrides): assign to them directly. */
  pace: PaceProfile;
  /** Moves the server's clock forward: download URLs, web sessions and trust tokens expire by it. */
  advanceClock(ms: number): void;
  /** Revokes every web session now (next CloudKit call: 421). */
  expireSessions(): void;
  /** Invalidates every 2sv trust token (next sign-in needs 2FA again). */
  expireTrustTokens(): void;
  /** Ends every web session, trust token and session token: the client must sign in with password and code. */
  endAllSessions(): void;
  /** Invalidates every sync token handed out (changes/zone answers CHANGE_TOKEN_EXPIRED). */
  expireSyncTokens(): void;
  /**
   * Moves the account to another server partition: CloudKit requests to the old ckdatabasews URL answer 421
   * Misdirected Request until the client asks accountLogin or validate again.
   */
  movePartition(): void;
  stop(): Promise<void>;
}

const SHARED_ZONE = 'SharedSync-5D1E7A2B-0C3F-4A1B-9E8D-7F6A5B4C3D2E';

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const count = options.assets ?? 10;
  const baseNow = options.now ?? Date.now;
  let clockOffset = 0;
  const now = () => baseNow() + clockOffset;
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
  const profile = options.profile ?? 'instant';
  const pace = paceFor(profile, {
    ...(options.downloadUrlTtlMs === undefined ? {} : { downloadUrlTtlMs: options.downloadUrlTtlMs }),
    ...options.pace,
  });
  // A paced server's own CPU must not land in what a client is measured for (its first bytes): the image
  // variants and the listing orders are built now, not on the first requests. At the instant profile tests
  // start many simulators and fetch few files: only a paced one pays for this.
  if (profile !== 'instant') {
    warmJpegVariants();
    for (const library of libraries) for (const order of ['all', 'hidden', 'deleted']) library.ordering(order);
  }
  const ctx: SimContext = {
    baseUrl: '',
    downloadBaseUrl: '',
    accounts: new Map(accounts.map((a) => [a.appleId.toLowerCase(), a])),
    sessions: new SessionStore(now, {
      sessionMs: options.sessionTtlMs ?? 3_600_000,
      trustMs: options.trustTtlMs ?? 30 * 86_400_000,
    }),
    libraries,
    faults,
    counters,
    now,
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    pace,
    gate: new Gate(pace, counters),
    urlSecret: randomBytes(32),
    partition: 0,
  };
  const cloudkit = new CloudKitService(ctx);
  const urls = { authUrl: '', setupUrl: '', controlUrl: '' };

  const api = await listen(apiHandler(ctx, cloudkit, urls), options.port ?? 0, '127.0.0.1');
  ctx.baseUrl = `http://127.0.0.1:${api.port}`;
  urls.authUrl = `${ctx.baseUrl}/appleauth/auth`;
  urls.setupUrl = `${ctx.baseUrl}/setup/ws/1`;
  urls.controlUrl = `${ctx.baseUrl}/control`;
  const content = await listenContent(downloadHandler(ctx), options.downloadHost ?? '127.0.0.2').catch(
    async (error: unknown) => {
      await close(api.server);
      throw error;
    },
  );
  ctx.downloadBaseUrl = `http://${content.host}:${content.port}`;
  const first = accounts[0]!;

  return {
    ...urls,
    baseUrl: ctx.baseUrl,
    downloadBaseUrl: ctx.downloadBaseUrl,
    account: { appleId: first.appleId, password: first.password, code: first.twoFactor ? first.code : '' },
    accounts,
    library: libraries[0]!,
    sharedLibrary: libraries[1],
    counters,
    faults,
    profile,
    pace,
    advanceClock: ctx.advanceClock,
    expireSessions: () => ctx.sessions.expireWebSessions(),
    expireTrustTokens: () => ctx.sessions.expireTrustTokens(),
    endAllSessions: () => ctx.sessions.endAllSessions(),
    expireSyncTokens: () => {
      for (const library of libraries) library.expireSyncTokens();
    },
    movePartition: () => {
      ctx.partition++;
    },
    stop: async () => {
      await Promise.all([close(api.server), close(content.server)]);
    },
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function serve(handler: Handler): Server {
  return createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { serverErrorCode: 'INTERNAL_ERROR', reason: String(error) });
      else res.destroy();
    });
  });
}

async function listen(handler: Handler, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = serve(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** The content host on its own address; where that address cannot be bound (macOS has only 127.0.0.1), another port. */
async function listenContent(handler: Handler, host: string) {
  try {
    return { host, ...(await listen(handler, 0, host)) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error;
    return { host: '127.0.0.1', ...(await listen(handler, 0, '127.0.0.1')) };
  }
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
