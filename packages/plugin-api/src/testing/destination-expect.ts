import { expect } from 'vitest';
import type { Destination, ObjectInfo, ReadOptions, WriteOptions } from '../api/destination.js';
import { ErrorCode } from '../errors/index.js';
import { chunked, collect, sha256Hex } from './bodies.js';

/**
 * Assertions shared by the destination checks. Errors are recognised by `code`, never `instanceof`: a plugin
 * may bundle its own copy of core, whose error classes are different objects.
 */

export function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function show(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message} [code ${String(codeOf(error))}]` : String(error);
}

/** Awaits `promise`, expecting it to reject (with `code` when given); returns the error. */
export async function expectRejection(promise: Promise<unknown>, what: string, code?: string): Promise<unknown> {
  let rejected = false;
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    rejected = true;
    error = e;
  }
  expect(rejected, `${what} resolved, but should have rejected${code ? ` with code ${code}` : ''}`).toBe(true);
  if (code !== undefined) expect(codeOf(error), `${what} rejected with ${show(error)}`).toBe(code);
  return error;
}

/** Writes `data` in 64 KiB chunks with the right size. */
export function put(
  dest: Destination,
  key: string,
  data: Uint8Array,
  options: Partial<WriteOptions> = {},
): Promise<ObjectInfo> {
  return dest.write(key, chunked(data), { size: data.length, ...options });
}

export async function readBytes(dest: Destination, key: string, options?: ReadOptions): Promise<Buffer> {
  return collect(await dest.read(key, options));
}

/** Compares lengths and hashes, so a mismatch in megabytes of data prints two lines, not a hex dump. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  expect({ length: actual.length, sha256: sha256Hex(actual) }, what).toEqual({
    length: expected.length,
    sha256: sha256Hex(expected),
  });
}

export async function listAll(dest: Destination, prefix?: string): Promise<ObjectInfo[]> {
  const found: ObjectInfo[] = [];
  for await (const info of dest.list(prefix)) found.push(info);
  return found;
}

/** `list(prefix)` yields exactly `expected`, each once, in any order. */
export async function expectListing(dest: Destination, prefix: string, expected: readonly string[]): Promise<void> {
  const keys = (await listAll(dest, prefix)).map((info) => info.key);
  const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
  expect(duplicates, `list(${JSON.stringify(prefix)}) yielded these keys more than once`).toEqual([]);
  expect([...keys].sort(), `list(${JSON.stringify(prefix)})`).toEqual([...expected].sort());
}

/** The object is visible with exactly these bytes: stat gives its size, read gives its bytes. */
export async function expectObject(dest: Destination, key: string, data: Uint8Array): Promise<void> {
  const info = await dest.stat(key);
  expect(info, `stat(${JSON.stringify(key)})`).toMatchObject({ key, size: data.length });
  // sha256 is optional in stat, but when a destination reports one it must be the right one.
  if (info?.sha256 !== undefined) expect(info.sha256, `stat(${JSON.stringify(key)}).sha256`).toBe(sha256Hex(data));
  expectBytes(await readBytes(dest, key), data, `read(${JSON.stringify(key)})`);
}

/** Nothing is visible under `key`: stat undefined, read not found (the caller checks the listing). */
export async function expectAbsent(dest: Destination, key: string): Promise<void> {
  expect(await dest.stat(key), `stat(${JSON.stringify(key)}) of an object that should not exist`).toBeUndefined();
  await expectRejection(dest.read(key), `read(${JSON.stringify(key)})`, ErrorCode.NotFound);
}
