import { createServer, type Server } from 'node:http';
import { describeError, UsageError } from '@lifeboat/core';
import type { MetricsService } from '../app/metrics.js';

/** `host:port` as given to `--metrics` (IPv6 in brackets); a bare port listens on 127.0.0.1. */
export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))?:?(\d+)$/.exec(spec.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--metrics ${spec} is not an address`, {
      hint: 'Give host:port, e.g. --metrics 127.0.0.1:9464 (0.0.0.0:9464 to be scraped from other machines)',
    });
  }
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/**
 * Serves `/metrics` (Prometheus) and `/healthz` (200 when `lifeboat check` passes, 503 with its problems) for
 * monitoring a headless box. Resolves with the server once it listens, and the address it listens on.
 */
export async function serveMetrics(
  metrics: MetricsService,
  spec: string,
  onError: (message: string) => void,
): Promise<{ server: Server; address: string }> {
  const { host, port } = parseListen(spec);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      if (path === '/metrics') {
        const body = await metrics.metrics();
        res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
      } else if (path === '/healthz') {
        const health = await metrics.healthy();
        const body = health.ok ? 'ok\n' : `${health.problems.join('\n')}\n`;
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Lifeboat serves /metrics and /healthz\n');
      }
    };
    answer().catch((error: unknown) => {
      onError(`metrics: ${describeError(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${describeError(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`Cannot serve metrics on ${spec}: ${error.code ?? error.message}`, {
          hint: 'Choose a free port (--metrics 127.0.0.1:9464), or stop what listens there',
        }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const a = server.address();
  const address = a && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : spec;
  return { server, address };
}
