import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IcloudHttp } from './client.js';
import { HostPacer, parseRetryAfter } from './pacer.js';
import { newSessionState } from './session-state.js';

describe('Retry-After pacing per host', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A server that answers its first request 503 with `Retry-After: 1` and records when each request arrived. */
  async function throttlingServer() {
    const arrivals: number[] = [];
    let refusedAt = 0;
    const server = createServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      if (arrivals.length === 1) {
        refusedAt = Date.now();
        res.writeHead(503, { 'Retry-After': '1' }).end('Service Temporary Unavailable');
      } else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    return { url, arrivals, refusedAt: () => refusedAt };
  }

  it('holds every later request to that host, concurrent ones included, until Retry-After has passed', async () => {
    const server = await throttlingServer();
    const http = new IcloudHttp(newSessionState(), { home: 'https://www.icloud.com' });
    await expect(http.requestJson(server.url)).rejects.toMatchObject({ retryable: true, retryAfterMs: 1000 });
    const answers = await Promise.all([1, 2, 3].map(() => http.requestJson(server.url)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const at of server.arrivals.slice(1)) expect(at - server.refusedAt()).toBeGreaterThanOrEqual(1000);
  });

  it('is shared by every client of one source (a renewed session keeps the wait)', async () => {
    const server = await throttlingServer();
    const pacer = new HostPacer();
    const first = new IcloudHttp(newSessionState(), { home: 'https://www.icloud.com', pacer });
    await expect(first.requestJson(server.url)).rejects.toMatchObject({ retryable: true });
    const renewed = new IcloudHttp(newSessionState(), { home: 'https://www.icloud.com', pacer });
    await renewed.requestJson(server.url);
    expect(server.arrivals[1]! - server.refusedAt()).toBeGreaterThanOrEqual(1000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off a host that throttles without Retry-After, longer each time in a row', () => {
    let now = 0;
    const pacer = new HostPacer({ now: () => now });
    const first = pacer.throttled('h', null);
    now += first;
    const second = pacer.throttled('h', null);
    expect(second).toBeGreaterThan(first);
    now += second;
    pacer.ok('h');
    expect(pacer.throttled('h', null)).toBe(first);
  });
});
