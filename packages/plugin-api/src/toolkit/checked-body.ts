import { createHash, type Hash } from 'node:crypto';
import type { WriteOptions } from '../api/destination.js';
import { IntegrityError } from '../errors/index.js';
import { abortable } from './abortable.js';

export interface CheckedBodyOptions extends Pick<WriteOptions, 'size' | 'sha256' | 'bodySha256' | 'signal'> {
  /** The object's key, for messages. */
  key: string;
  /**
   * Hash even when no sha256 is expected (a content-addressed store needs the digest). Otherwise the body is
   * hashed only to check an expected sha256: core hashes every stream already, and hashing costs CPU per byte.
   * With `bodySha256` (core's digest of the same bytes) and no expected sha256, that digest is used unhashed.
   */
  alwaysHash?: boolean;
  /** Runs after the last byte and the checks, before the stream ends: a last chance to refuse the commit. */
  beforeEnd?: () => Promise<void>;
}

export interface CheckedBody {
  /** The body's chunks; throws instead of ending when the bytes are not what was promised. */
  stream: AsyncGenerator<Uint8Array>;
  /** Hex sha256 of what passed through (when hashed); valid once the stream ended normally. */
  sha256(): string | undefined;
}

/**
 * The write-side promise of the Destination contract, for plugin authors: wraps a `write` body so it counts
 * (and hashes) the bytes as they pass and throws IntegrityError instead of ending when anything is wrong —
 * more bytes than `size` (at once), fewer, another sha256 — or the signal's reason on abort, even while the
 * producer is stalled. A destination that commits only after the stream ended normally never commits bad bytes.
 */
export function checkedBody(body: AsyncIterable<Uint8Array>, options: CheckedBodyOptions): CheckedBody {
  const { key, size, signal } = options;
  const expected = options.sha256?.toLowerCase();
  const known = options.bodySha256;
  const hash: Hash | undefined =
    expected !== undefined || (options.alwaysHash && !known) ? createHash('sha256') : undefined;
  let digest: string | undefined;
  let ended = false;

  async function* stream(): AsyncGenerator<Uint8Array> {
    let received = 0;
    for await (const chunk of abortable(body, signal)) {
      received += chunk.byteLength;
      if (received > size) throw new IntegrityError(`${key}: the body is longer than the declared ${size} bytes`);
      hash?.update(chunk);
      if (chunk.byteLength > 0) yield chunk;
    }
    signal?.throwIfAborted();
    if (received !== size) {
      throw new IntegrityError(`${key}: the body ended after ${received} of the declared ${size} bytes`);
    }
    digest = hash ? hash.digest('hex') : known?.();
    if (options.alwaysHash && digest === undefined) {
      throw new Error(`${key}: bodySha256 gave no digest at the end of the body`);
    }
    if (expected !== undefined && digest !== expected) {
      throw new IntegrityError(`${key}: sha256 ${digest} does not match the expected ${expected}`, {
        hint: 'The bytes changed on the way: copy the photo again',
      });
    }
    await options.beforeEnd?.();
    ended = true;
  }

  return {
    stream: stream(),
    sha256() {
      if (!ended) throw new Error('checkedBody: sha256 asked before the body ended');
      return digest;
    },
  };
}
