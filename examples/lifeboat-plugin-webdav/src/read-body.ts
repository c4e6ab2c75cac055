import type { IncomingMessage } from 'node:http';
import {
  DestinationUnavailableError,
  NotFoundError,
  type ObjectInfo,
  type ReadOptions,
  TransientError,
} from '@lifeboat/plugin-api';
import { statusError } from './classify.js';
import { type DavRequest, discard } from './http.js';
import { redact } from './paths.js';
import { rangeHeader, rangeProblem } from './ranges.js';

/**
 * GET with Range. The promise settles once the server answered, so a missing key rejects here and never mid-stream.
 * A ranged answer must be a 206 for exactly the bytes asked (see rangeProblem), and the stream must bring as many
 * bytes as announced: a connection dropped early fails the read (retryable) instead of passing for a shorter object.
 */
export async function readBody(
  call: (req: DavRequest) => Promise<IncomingMessage>,
  url: URL,
  key: string,
  options: ReadOptions,
  stat: () => Promise<ObjectInfo | undefined>,
): Promise<AsyncIterable<Uint8Array>> {
  const { offset = 0, length, signal } = options;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Invalid read offset ${offset}`);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
    throw new RangeError(`Invalid read length ${length}`);
  }
  signal?.throwIfAborted();
  const missing = () => new NotFoundError(`No object at ${key} (${redact(url)})`);
  // Nothing to ask a range for: say whether the object exists, and return nothing.
  if (length === 0) return (await stat()) ? empty() : Promise.reject(missing());
  const range = rangeHeader(offset, length);
  const response = await call({ method: 'GET', url, headers: range ? { range } : {}, ...(signal ? { signal } : {}) });
  if (response.statusCode === 404) {
    discard(response);
    throw missing();
  }
  // 416: the range starts at or past the end (an empty object has no byte 0): nothing to return, if it exists.
  if (response.statusCode === 416) {
    discard(response);
    if (await stat()) return empty();
    throw missing();
  }
  if (response.statusCode !== 200 && response.statusCode !== 206) {
    discard(response);
    throw statusError(response, `Reading ${key}`, url);
  }
  const problem = range ? rangeProblem(response, offset, length) : undefined;
  if (problem) {
    response.destroy();
    throw new DestinationUnavailableError(`The server answered a read of ${range} of ${key} ${problem}`, {
      hint: 'It (or a proxy in between) ignores HTTP Range requests; use a server or path that honours them',
    });
  }
  return counted(response, Number(response.headers['content-length'] ?? Number.NaN), key, url);
}

async function* empty(): AsyncGenerator<Uint8Array> {}

async function* counted(
  response: IncomingMessage,
  expected: number,
  key: string,
  url: URL,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  try {
    // for await destroys the response when the consumer stops early, freeing the connection.
    for await (const chunk of response) {
      received += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (error) {
    if (error instanceof TransientError) throw error;
    throw new TransientError(`The download of ${key} from ${redact(url)} broke off: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!Number.isNaN(expected) && received !== expected) {
    throw new TransientError(
      `The download of ${key} from ${redact(url)} stopped after ${received} of ${expected} bytes`,
    );
  }
}
