import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TransientError } from '@lifeboat/plugin-api';
import { networkError } from './classify.js';
import { redact } from './paths.js';

export interface DavRequest {
  method: string;
  url: URL;
  headers?: OutgoingHttpHeaders;
  /** The request body: a string, or a stream of chunks (an upload). */
  body?: string | AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
}

export interface Connection {
  /** Basic auth header value, when signing in. */
  authorization?: string;
  /** Idle deadline: a request that sends or receives nothing for this long fails as retryable. */
  timeoutMs: number;
}

/**
 * One HTTP request with a deadline. node:http rather than fetch: its socket timeout is an idle deadline, so a
 * server that accepts the connection and never answers fails in `timeoutMs`, while a long download that keeps
 * flowing is never cut; and an upload streams from the body without buffering it.
 * The promise settles when the response headers arrived; the caller reads or discards the body.
 */
export function davRequest(conn: Connection, req: DavRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (conn.authorization) headers.authorization = conn.authorization;
    if (typeof req.body === 'string') headers['content-length'] = Buffer.byteLength(req.body);
    const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(req.url, { method: req.method, headers, timeout: conn.timeoutMs, signal: req.signal });
    let bodyError: unknown;
    let settled = false;
    outgoing.on('timeout', () => {
      outgoing.destroy(
        new TransientError(`${req.method} ${redact(req.url)}: no answer for ${conn.timeoutMs / 1000} s`, {
          hint: 'The server is slow or hung; the run retries later',
        }),
      );
    });
    outgoing.on('response', (response) => {
      settled = true;
      // The idle deadline keeps running while the body streams; a stalled body fails the reader's iteration.
      response.setTimeout(conn.timeoutMs, () =>
        response.destroy(new TransientError(`${req.method} ${redact(req.url)}: the answer stalled`)),
      );
      resolve(response);
    });
    outgoing.on('error', (error) => {
      if (settled) return;
      settled = true;
      // A body that failed (wrong size, wrong sha256, abort) is the reason, not the torn connection it caused.
      reject(bodyError ?? (req.signal?.aborted ? req.signal.reason : networkError(error, req.method, req.url)));
    });
    if (req.body === undefined || typeof req.body === 'string') {
      outgoing.end(req.body);
      return;
    }
    const body = req.body;
    // Remembers the body's own failure before it tears the request down, so that is what the write reports.
    const source = async function* () {
      try {
        yield* body;
      } catch (error) {
        bodyError = error;
        throw error;
      }
    };
    pipeline(Readable.from(source(), { objectMode: false }), outgoing).catch((error: unknown) => {
      bodyError ??= error;
      outgoing.destroy(error as Error);
    });
  });
}

/** Reads a whole (small) answer body as text: error pages and PROPFIND answers. */
export async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Lets an unwanted answer body go, so the connection is freed. */
export function discard(response: IncomingMessage): void {
  response.resume();
}
