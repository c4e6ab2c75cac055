import { createHash } from 'node:crypto';
import { IntegrityError } from '@lifeboat/core';

export interface BodyExpectations {
  key: string;
  size: number;
  sha256?: string;
  signal?: AbortSignal;
  /** Runs after the last byte and the checks, before the stream ends: a last chance to refuse the commit. */
  beforeEnd?: () => Promise<void>;
}

export interface CheckedBody {
  stream: AsyncGenerator<Uint8Array>;
  /** Hex sha256 of what passed through; valid once the stream ended normally. */
  sha256(): string;
}

/**
 * Wraps a write body so it counts and hashes bytes as they pass, and throws instead of ending when anything is
 * wrong: more bytes than `size` (at once), fewer, another sha256, or an abort. Whoever uploads the stream (a
 * single PUT, or a multipart upload, which then aborts the upload) therefore never reaches the
 * commit with bad bytes: S3 shows an object only once it is committed, so nothing is ever visible.
 */
export function checkedBody(body: AsyncIterable<Uint8Array>, expect: BodyExpectations): CheckedBody {
  const hash = createHash('sha256');
  let digest: string | undefined;

  async function* stream(): AsyncGenerator<Uint8Array> {
    const iterator = body[Symbol.asyncIterator]();
    let finished = false;
    try {
      let received = 0;
      for (;;) {
        const next = await untilAborted(iterator.next(), expect.signal);
        if (next.done) break;
        const chunk = next.value;
        received += chunk.length;
        if (received > expect.size) {
          throw new IntegrityError(`Body of ${expect.key} is longer than the expected ${expect.size} bytes`);
        }
        hash.update(chunk);
        if (chunk.length > 0) yield chunk;
      }
      finished = true;
      if (received !== expect.size) {
        throw new IntegrityError(`Body of ${expect.key} ended after ${received} of ${expect.size} bytes`);
      }
      digest = hash.digest('hex');
      if (expect.sha256 !== undefined && digest !== expect.sha256.toLowerCase()) {
        throw new IntegrityError(`Body of ${expect.key} has sha256 ${digest}, expected ${expect.sha256}`);
      }
      expect.signal?.throwIfAborted();
      await expect.beforeEnd?.();
    } finally {
      // Stopped early (our error, an abort, or the uploader gave up): let the producer release its resources.
      if (!finished) void iterator.return?.()?.catch(() => {});
    }
  }

  return {
    stream: stream(),
    sha256() {
      if (digest === undefined) throw new Error('checkedBody: sha256 asked before the body ended');
      return digest;
    },
  };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts (a stalled body cannot hold it up). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
