import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Write bodies for conformance checks. Real bodies arrive in odd chunk sizes, fail halfway and get aborted;
 * a destination that only ever saw one neat chunk would pass checks it should not.
 */

/** Random bytes: compressible or repeating data could hide an off-by-one between chunks. */
export function randomBytes(size: number): Buffer {
  return cryptoRandomBytes(size);
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Chunk sizes that straddle every power-of-two buffer boundary a destination might use. */
const UNEVEN = [1, 3, 1000, 65_537, 7, 1_048_577, 4096, 333_333, 0, 12];

/** Yields `data` in chunks of `chunkSize` bytes (fresh copies, so a destination cannot rely on our buffer). */
export async function* chunked(data: Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += chunkSize) yield data.slice(i, i + chunkSize);
}

/** Yields `data` in the uneven sizes above, cycling, including an empty chunk. */
export async function* unevenChunks(data: Uint8Array, sizes: readonly number[] = UNEVEN): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let n = 0; offset < data.length; n++) {
    const size = sizes[n % sizes.length] ?? 1;
    yield data.slice(offset, offset + size);
    offset += size;
  }
}

/** Yields the first `failAfter` bytes of `data`, then throws, as a source whose connection drops would. */
export async function* failingMidway(
  data: Uint8Array,
  failAfter = Math.floor(data.length / 2),
  error: Error = new Error('conformance: body failed midway'),
): AsyncGenerator<Uint8Array> {
  yield* chunked(data.subarray(0, failAfter), 1024);
  throw error;
}

/**
 * Yields `data` a chunk per event-loop turn, so two writes given such bodies really overlap instead of one
 * finishing before the other starts.
 */
export async function* slowChunks(data: Uint8Array, chunkSize = 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += chunkSize) {
    await nextTurn();
    yield data.slice(i, i + chunkSize);
  }
}

/**
 * Yields the first `abortAfter` bytes, aborts `controller`, then keeps yielding the rest: only the destination
 * watching its signal can stop the write from completing.
 */
export async function* abortingMidway(
  data: Uint8Array,
  controller: AbortController,
  abortAfter = Math.floor(data.length / 2),
): AsyncGenerator<Uint8Array> {
  yield* chunked(data.subarray(0, abortAfter), 1024);
  controller.abort();
  for (let i = abortAfter; i < data.length; i += 1024) {
    await nextTurn();
    yield data.slice(i, i + 1024);
  }
}

/** A body that stops after `splitAt` bytes until released: lets a check look at a destination mid-write. */
export function pausedBody(data: Uint8Array, splitAt = Math.floor(data.length / 2)) {
  let reachedPause!: () => void;
  let release!: () => void;
  const paused = new Promise<void>((resolve) => {
    reachedPause = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* body(): AsyncGenerator<Uint8Array> {
    yield* chunked(data.subarray(0, splitAt), 1024);
    reachedPause();
    await released;
    yield* chunked(data.subarray(splitAt), 1024);
  }
  return { body: body(), paused, release };
}

/** Reads a whole stream into one buffer. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
