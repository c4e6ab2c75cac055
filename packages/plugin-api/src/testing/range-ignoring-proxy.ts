import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface RangeIgnoringProxy {
  /** `http://127.0.0.1:<port>`: point the destination here instead of at `target`. */
  endpoint: string;
  /** Requests that reached the proxy with a `Range` header (which it dropped). */
  rangesDropped(): number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of `target` that drops every request's `Range` header and passes everything else through
 * unchanged: what a server (or a proxy on the way) that ignores ranges does. Such a server answers a ranged read
 * with `200` and the whole object; a destination must notice (no `206`, no matching `Content-Range`) and fail the
 * read, never hand those bytes on as the range.
 */
export async function startRangeIgnoringProxy(target: string): Promise<RangeIgnoringProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`startRangeIgnoringProxy: target must be http://, got ${target}`);
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers };
    if (headers.range !== undefined) {
      dropped++;
      delete headers.range;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: Number(upstream.port || 80),
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    rangesDropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
