import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DestinationUnavailableError, NotFoundError, type ReadOptions, TransientError } from '@lifeboat/plugin-api';
import { s3CodeOf } from './codes.js';
import { classify, type S3Context } from './context.js';
import { headObject } from './head.js';

/**
 * GetObject with an HTTP range. The promise settles once the server answered, so a missing key rejects here
 * (NotFoundError) and never later, mid-stream. The stream is checked against the announced length: a connection
 * that drops early fails the read (retryable) instead of passing for a shorter object.
 */
export async function readObject(
  ctx: S3Context,
  objectKey: string,
  key: string,
  options: ReadOptions,
): Promise<AsyncIterable<Uint8Array>> {
  const { offset = 0, length, signal } = options;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Invalid read offset ${offset}`);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
    throw new RangeError(`Invalid read length ${length}`);
  }
  signal?.throwIfAborted();
  // No HTTP range means zero bytes: ask whether the object exists, and return nothing.
  if (length === 0) return (await present(ctx, objectKey, key)) ? empty() : missing(ctx, key);
  const range =
    offset === 0 && length === undefined
      ? undefined
      : `bytes=${offset}-${length === undefined ? '' : offset + length - 1}`;
  let answer: { Body?: unknown; ContentLength?: number; ContentRange?: string };
  try {
    answer = await ctx.client.send(
      new GetObjectCommand({ Bucket: ctx.settings.bucket, Key: objectKey, ...(range ? { Range: range } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (error) {
    // 416: the range starts at or past the end (an empty object has no byte 0): nothing to return, if it exists.
    if (s3CodeOf(error) === 'InvalidRange' || s3CodeOf(error) === '416') {
      return (await present(ctx, objectKey, key)) ? empty() : missing(ctx, key);
    }
    throw classify(ctx, error, `read of ${key}`);
  }
  if (range) {
    const problem = rangeProblem(answer, offset, length);
    if (problem) {
      (answer.Body as Readable | undefined)?.destroy?.();
      throw new DestinationUnavailableError(
        `The server at ${ctx.server} answered a read of bytes ${range.slice(6)} of ${key} ${problem}`,
        { hint: 'It (or a proxy in between) ignores HTTP Range requests; use a server or endpoint that honours them' },
      );
    }
  }
  return checkedLength(ctx, answer.Body as Readable | undefined, answer.ContentLength, key);
}

/**
 * What is wrong with the answer to a ranged GET, if anything. A server that ignores Range answers with the whole
 * object and no Content-Range: passing that on as the range would corrupt a resumed download silently.
 */
function rangeProblem(
  answer: { ContentLength?: number; ContentRange?: string },
  offset: number,
  length: number | undefined,
): string | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(answer.ContentRange?.trim() ?? '');
  if (!match) return `without a Content-Range (${answer.ContentRange ?? 'none'}): it sent other bytes than asked`;
  const [first, last] = [Number(match[1]), Number(match[2])];
  const total = match[3] === '*' ? undefined : Number(match[3]);
  const wantedLast = Math.min(length === undefined ? Number.POSITIVE_INFINITY : offset + length, total ?? Infinity) - 1;
  if (first !== offset || (Number.isFinite(wantedLast) && last !== wantedLast)) {
    return `with the bytes ${first}-${last} instead`;
  }
  if (answer.ContentLength !== undefined && answer.ContentLength !== last - first + 1) {
    return `with ${answer.ContentLength} bytes for the range ${first}-${last}`;
  }
  return undefined;
}

async function present(ctx: S3Context, objectKey: string, key: string): Promise<boolean> {
  return (await headObject(ctx, objectKey, `read of ${key}`)) !== undefined;
}

function missing(ctx: S3Context, key: string): never {
  throw new NotFoundError(`No object at ${key} in bucket "${ctx.settings.bucket}" at ${ctx.server}`);
}

async function* empty(): AsyncGenerator<Uint8Array> {}

async function* checkedLength(
  ctx: S3Context,
  body: Readable | undefined,
  expected: number | undefined,
  key: string,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  try {
    // for await destroys the response stream when the consumer stops early, freeing the connection.
    for await (const chunk of (body ?? []) as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      yield chunk;
    }
  } catch (error) {
    throw classify(ctx, error, `read of ${key}`);
  }
  if (expected !== undefined && received !== expected) {
    throw new TransientError(
      `The download of ${key} from ${ctx.server} stopped after ${received} of ${expected} bytes`,
    );
  }
}
