import { createServer, type Socket } from 'node:net';
import { expect } from 'vitest';
import type { Destination } from '../api/destination.js';
import { isRetryable } from '../errors/classify.js';
import { ErrorCode, hasCode } from '../errors/codes.js';
import { randomBytes } from './bodies.js';
import type { SuiteContext } from './suite-context.js';

/** A TCP server that accepts every connection and never sends a byte: a hung server, a half-dead NAS. */
async function silentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How a call ended, within `ms` or not at all. */
async function within(ms: number, call: () => Promise<unknown>): Promise<{ error?: unknown; hung?: true; ok?: true }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ hung: true }>((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), ms);
  });
  const outcome = call().then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ error }),
  );
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A server that accepts connections and never answers must not hang a run: every call fails by itself within the
 * deadline, with an error core can act on (retryable, or the destination unavailable).
 */
export function deadlineChecks({ check, options }: SuiteContext): void {
  check('gives up on a server that accepts connections and never answers', async (t) => {
    const unresponsive = options.unresponsive;
    if (!unresponsive) return t.skip('no options.unresponsive given');
    const deadlineMs = unresponsive.deadlineMs ?? 30_000;
    const server = await silentServer();
    let destination: Destination | undefined;
    try {
      destination = await unresponsive.create(server.endpoint);
      const d = destination;
      const calls: [string, () => Promise<unknown>][] = [
        ['stat', () => d.stat('2019/a.jpg')],
        ['read', () => d.read('2019/a.jpg')],
        [
          'write',
          () =>
            d.write(
              '2019/b.jpg',
              (async function* () {
                yield randomBytes(10);
              })(),
              { size: 10 },
            ),
        ],
        [
          'list',
          async () => {
            for await (const _ of d.list('')) break;
          },
        ],
      ];
      const outcomes = await Promise.all(
        calls.map(async ([what, call]) => [what, await within(deadlineMs, call)] as const),
      );
      for (const [what, outcome] of outcomes) {
        expect(outcome.hung, `${what} still waiting after ${deadlineMs} ms`).toBeUndefined();
        expect(outcome.ok, `${what} succeeded against a server that never answers`).toBeUndefined();
        const actionable = isRetryable(outcome.error) || hasCode(outcome.error, ErrorCode.DestinationUnavailable);
        expect(actionable, `${what} failed with ${String(outcome.error)}: neither retryable nor unavailable`).toBe(
          true,
        );
      }
    } finally {
      await destination?.close?.().catch(() => {});
      await server.close();
    }
  });
}
