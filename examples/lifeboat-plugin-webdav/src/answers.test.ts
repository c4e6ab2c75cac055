import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ErrorCode, errorCode, isRetryable } from '@lifeboat/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { webdavOptions } from './settings.js';
import { WebdavDestination } from './webdav-destination.js';

// How the destination classifies a server's answers, against a real HTTP server scripted per test: what a busy,
// locked, throttled or misconfigured WebDAV server sends, which rclone does not on demand.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function scripted(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    answer(req, res, ++n);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const destination = new WebdavDestination(
    webdavOptions({ url: `http://127.0.0.1:${port}/photos/`, username: 'me' }, 'secret'),
  );
  return { destination, requests: () => n };
}

const reply = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('answers a WebDAV server gives', () => {
  it('retries 423 Locked briefly: a lock lasts a request', async () => {
    const { destination, requests } = await scripted((_req, res, n) => reply(res, n <= 2 ? 423 : 404));
    expect(await destination.stat('2019/a.jpg')).toBeUndefined();
    expect(requests()).toBe(3);
  });

  it('gives up on a lock that does not go away, as a retryable error', async () => {
    const { destination, requests } = await scripted((_req, res) => reply(res, 423));
    const error = await failure(destination.stat('2019/a.jpg'));
    expect(errorCode(error)).toBe(ErrorCode.Transient);
    expect(requests()).toBe(8);
  });

  it.each([
    [503, { 'retry-after': '7' }, 'retry in 7 s'],
    [429, { 'retry-after': '2' }, 'retry in 2 s'],
    [502, {}, 'busy'],
  ])('classifies %i as retryable, with the wait the server asks for', async (status, headers, hint) => {
    const { destination, requests } = await scripted((_req, res) => reply(res, status, headers));
    const error = await failure(destination.stat('2019/a.jpg'));
    expect(errorCode(error), String(error)).toBe(ErrorCode.Transient);
    expect(isRetryable(error)).toBe(true);
    expect((error as { hint?: string }).hint).toContain(hint);
    expect(requests()).toBe(1); // left to core's retries, which back off for longer
  });

  it('classifies 401 as the destination unavailable, pointing at the password, and sends basic auth', async () => {
    let authorization: string | undefined;
    const { destination } = await scripted((req, res) => {
      authorization = req.headers.authorization;
      reply(res, 401);
    });
    const error = await failure(destination.stat('2019/a.jpg'));
    expect(errorCode(error)).toBe(ErrorCode.DestinationUnavailable);
    expect(isRetryable(error)).toBe(false);
    expect((error as { hint?: string }).hint).toContain('--secret password');
    expect(String(error)).not.toContain('secret');
    expect(authorization).toBe(`Basic ${Buffer.from('me:secret').toString('base64')}`);
  });

  it('classifies 507 on an upload as no space', async () => {
    const { destination } = await scripted((req, res) =>
      reply(res, req.method === 'PUT' ? 507 : req.method === 'HEAD' ? 404 : 201),
    );
    const data = Buffer.from('hello');
    const error = await failure(
      destination.write(
        'a.jpg',
        (async function* () {
          yield data;
        })(),
        { size: data.length },
      ),
    );
    expect(errorCode(error), String(error)).toBe(ErrorCode.NoSpace);
  });
});
