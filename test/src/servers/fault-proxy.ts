/**
 * An HTTP reverse proxy for S3 tests that injects faults by a deterministic plan: 503 ServiceUnavailable, 503
 * SlowDown, 500 InternalError, a connection dropped halfway through a request body (an upload part) or halfway
 * through a response body (a download).
 *
 * Everything else streams through untouched: method, path, query and the raw headers (names, case, order, and the
 * Host header the client sent), so SigV4 signatures still verify. Point the client at the proxy's `endpoint`: the
 * client then signs `Host: 127.0.0.1:<proxy port>` and the server checks the signature against that same Host.
 *
 *   const proxy = await startFaultProxy({ target: swift.endpoint, plan: [
 *     { on: 'PutObject', first: 3, inject: '503' },          // the first 3 PutObjects answer 503
 *     { on: 'UploadPart', at: [5], inject: 'drop-mid-body' }, // the 5th UploadPart loses its connection halfway
 *     { on: 'any', every: 10, inject: 'slowdown', times: 2 }, // every 10th request answers SlowDown, twice at most
 *   ] });
 *   const s3 = new S3Client(swift.clientConfig({ endpoint: proxy.endpoint }));
 *   ...
 *   proxy.stats().byFault['503'] // 3
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type S3Operation, s3Operation } from './s3-operation.js';

export type Fault = '500' | '503' | 'slowdown' | 'drop-mid-body' | 'drop-mid-response';
export const FAULTS: readonly Fault[] = ['500', '503', 'slowdown', 'drop-mid-body', 'drop-mid-response'];

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
export interface FaultRule {
  /** Which requests this rule counts: 'any', an HTTP method, or an S3 operation (path-style URLs). Default 'any'. */
  on?: 'any' | HttpMethod | S3Operation;
  /** Only requests whose path (without the query) matches: a substring or a RegExp. */
  path?: string | RegExp;
  /** Exactly one trigger. `every: n`: the n-th, 2n-th ... matching request. */
  every?: number;
  /** `first: n`: the first n matching requests. */
  first?: number;
  /** `at: [2, 5]`: the 2nd and the 5th matching request (1-based). */
  at?: number[];
  /** At most this many injections by this rule. Default: no cap. */
  times?: number;
  inject: Fault;
}

export interface FaultEvent {
  /** 1-based sequence number of the request at the proxy. */
  seq: number;
  method: string;
  /** Path and query as received. */
  url: string;
  operation: S3Operation;
  /** The injected fault and the index of the rule in the plan that chose it. */
  fault?: Fault;
  rule?: number;
}

export interface FaultProxyStats {
  /** Requests received. */
  requests: number;
  /** Requests passed to the target (including those whose response is then cut by drop-mid-response). */
  forwarded: number;
  /** Faults injected, in total and by kind. */
  faults: number;
  byFault: Record<Fault, number>;
  /** Requests received, by S3 operation. */
  byOperation: Partial<Record<S3Operation, number>>;
  /** Target unreachable or failing mid-response (answered 502 or cut). */
  upstreamErrors: number;
  /** Every request in arrival order. */
  events: FaultEvent[];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client as its endpoint. */
  endpoint: string;
  port: number;
  /** A snapshot of the counters. */
  stats(): FaultProxyStats;
  /** Replaces the plan; the new rules count matching requests from zero. The counters are kept. */
  setPlan(plan: FaultRule[]): void;
  /** Zeroes the counters and the event list (the rules' own counts are kept). */
  resetStats(): void;
  /** Closes the listener and every open connection. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The server to forward to, e.g. `http://127.0.0.1:8080`. */
  target: string;
  plan?: FaultRule[];
}

function validate(plan: FaultRule[]): void {
  plan.forEach((rule, index) => {
    const triggers = [rule.every, rule.first, rule.at].filter((t) => t !== undefined).length;
    const where = `fault plan rule ${index} (${JSON.stringify(rule)})`;
    if (triggers !== 1) throw new Error(`${where}: give exactly one of every, first, at`);
    if (rule.every !== undefined && !(Number.isInteger(rule.every) && rule.every >= 1))
      throw new Error(`${where}: every must be a positive integer`);
    if (rule.first !== undefined && !(Number.isInteger(rule.first) && rule.first >= 0))
      throw new Error(`${where}: first must be a non-negative integer`);
    if (rule.at?.some((n) => !(Number.isInteger(n) && n >= 1)))
      throw new Error(`${where}: at takes 1-based request numbers`);
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0))
      throw new Error(`${where}: times must be a non-negative integer`);
    if (!FAULTS.includes(rule.inject)) throw new Error(`${where}: inject must be one of ${FAULTS.join(', ')}`);
  });
}

interface ArmedRule {
  rule: FaultRule;
  seen: number;
  injected: number;
}

function matches(rule: FaultRule, method: string, operation: S3Operation, path: string): boolean {
  const on = rule.on ?? 'any';
  if (on !== 'any' && on !== method && on !== operation) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

function triggered(armed: ArmedRule): boolean {
  const { rule, seen, injected } = armed;
  if (rule.times !== undefined && injected >= rule.times) return false;
  if (rule.every !== undefined) return seen % rule.every === 0;
  if (rule.first !== undefined) return seen <= rule.first;
  return rule.at?.includes(seen) ?? false;
}

const ERRORS: Record<'500' | '503' | 'slowdown', { status: number; code: string; message: string }> = {
  '500': { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  '503': { status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.' },
  slowdown: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
};

const xmlEscape = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

function emptyStats(): FaultProxyStats {
  return {
    requests: 0,
    forwarded: 0,
    faults: 0,
    byFault: { '500': 0, '503': 0, slowdown: 0, 'drop-mid-body': 0, 'drop-mid-response': 0 },
    byOperation: {},
    upstreamErrors: 0,
    events: [],
  };
}

/** Cuts a connection with a TCP reset, so the client sees ECONNRESET rather than a clean end. */
function reset(socket: Socket | null): void {
  if (!socket || socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** Starts the proxy on a free loopback port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`fault proxy target must be http://, got ${options.target}`);
  const targetPort = Number(target.port || 80);
  const agent = new Agent({ keepAlive: true });
  let rules: ArmedRule[] = [];
  let stats = emptyStats();
  const setPlan = (plan: FaultRule[]) => {
    validate(plan);
    rules = plan.map((rule) => ({ rule, seen: 0, injected: 0 }));
  };
  setPlan(options.plan ?? []);

  const respondError = (req: IncomingMessage, res: ServerResponse, fault: '500' | '503' | 'slowdown', seq: number) => {
    const { status, code, message } = ERRORS[fault];
    const requestId = `FAULTPROXY${String(seq).padStart(6, '0')}`;
    const resource = xmlEscape(new URL(req.url ?? '/', 'http://x').pathname);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
      `<Resource>${resource}</Resource><RequestId>${requestId}</RequestId></Error>`;
    // Read the whole request body first, as a server does before answering, so the client is not cut off mid-send.
    req.resume();
    req.once('end', () => {
      res.writeHead(status, {
        'Content-Type': 'application/xml',
        'Content-Length': Buffer.byteLength(body),
        'x-amz-request-id': requestId,
      });
      res.end(body);
    });
  };

  const dropMidBody = (req: IncomingMessage) => {
    const length = Number(req.headers['content-length'] ?? Number.NaN);
    const half = Number.isFinite(length) && length > 0 ? Math.max(1, Math.floor(length / 2)) : 1;
    if (length === 0 || req.method === 'GET' || req.method === 'HEAD') {
      reset(req.socket); // no body to cut: drop the connection at once, with no answer
      return;
    }
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= half) reset(req.socket);
    });
    req.once('end', () => reset(req.socket)); // a body shorter than announced
  };

  const forward = (req: IncomingMessage, res: ServerResponse, cutResponse: boolean) => {
    stats.forwarded++;
    const upstream = request(
      {
        host: target.hostname,
        port: targetPort,
        method: req.method,
        path: req.url,
        headers: req.rawHeaders, // verbatim, Host included: the signature covers it
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
        upstreamRes.once('error', () => {
          stats.upstreamErrors++;
          res.destroy();
        });
        if (!cutResponse) {
          upstreamRes.pipe(res);
          return;
        }
        // Pass half of the body (at least the headers and one byte when there is a body), then cut.
        const length = Number(upstreamRes.headers['content-length'] ?? Number.NaN);
        const half = Number.isFinite(length) ? Math.floor(length / 2) : 1;
        let sent = 0;
        const cut = () => {
          upstreamRes.destroy();
          res.socket?.destroy();
        };
        if (half === 0 || req.method === 'HEAD') {
          res.flushHeaders();
          setImmediate(cut);
          return;
        }
        upstreamRes.on('data', (chunk: Buffer) => {
          if (sent >= half) return;
          const piece = chunk.subarray(0, half - sent);
          sent += piece.length;
          if (sent >= half) res.write(piece, cut);
          else res.write(piece);
        });
        upstreamRes.once('end', () => {
          if (sent < half) cut();
        });
      },
    );
    upstream.once('error', (error) => {
      stats.upstreamErrors++;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>BadGateway</Code><Message>${xmlEscape(
        error.message,
      )}</Message></Error>`;
      res.writeHead(502, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    // A client that goes away mid-request or mid-response takes the upstream request with it.
    req.once('close', () => {
      if (!req.complete) upstream.destroy();
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const seq = ++stats.requests;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const operation = s3Operation(method, url, req.headers);
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    const path = new URL(url, 'http://x').pathname;
    // Every rule counts every request it matches; the first one that fires decides.
    let chosen: { fault: Fault; rule: number } | undefined;
    rules.forEach((armed, index) => {
      if (!matches(armed.rule, method, operation, path)) return;
      armed.seen++;
      if (chosen === undefined && triggered(armed)) {
        armed.injected++;
        chosen = { fault: armed.rule.inject, rule: index };
      }
    });
    stats.events.push({ seq, method, url, operation, ...chosen });
    if (chosen) {
      stats.faults++;
      stats.byFault[chosen.fault]++;
    }
    switch (chosen?.fault) {
      case '500':
      case '503':
      case 'slowdown':
        respondError(req, res, chosen.fault, seq);
        return;
      case 'drop-mid-body':
        dropMidBody(req);
        return;
      default:
        forward(req, res, chosen?.fault === 'drop-mid-response');
    }
  });
  // Keep-alive connections from the SDK: keep them for as long as it wants, like S3 does.
  server.keepAliveTimeout = 60_000;
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');
  const port = address.port;

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats: () => structuredClone(stats),
    setPlan,
    resetStats() {
      stats = emptyStats();
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
      return stopping;
    },
  };
}
