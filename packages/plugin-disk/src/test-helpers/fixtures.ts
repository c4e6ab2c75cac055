import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { DiskDestination } from '../disk-destination.js';

/** A fresh temp folder per test, removed afterwards. Call at the top of a `describe`. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifeboat-disk-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** A prepared destination in `<dir>/dest`. */
export async function preparedDestination(dir: string): Promise<DiskDestination> {
  const destination = new DiskDestination({ root: join(dir, 'dest') });
  await destination.prepare();
  return destination;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function randomData(size: number): Buffer {
  return randomBytes(size);
}

/** The data as a body of `chunkSize` chunks. */
export async function* bodyOf(data: Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, at + chunkSize);
}

/** Yields some bytes, then throws (a dropped connection). */
export async function* failingBody(bytesBeforeFailure: number): AsyncGenerator<Uint8Array> {
  yield Buffer.alloc(bytesBeforeFailure, 1);
  throw new Error('connection reset by the test');
}

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Names in the destination's temp folder (must be empty after any failed write). */
export async function tempFiles(root: string): Promise<string[]> {
  return readdir(join(root, '.lifeboat', 'tmp')).catch(() => []);
}
