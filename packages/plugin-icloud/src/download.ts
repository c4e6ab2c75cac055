import { IntegrityError, type Logger, NotFoundError, type ResourceHandle, TransientError } from '@lifeboat/plugin-api';
import { protocolError, throttled } from './errors.js';
import { type IcloudHttp, retryAfterMs } from './http/client.js';
import { decodeLocator } from './photos/locator.js';
import type { UrlResolver } from './resolver.js';

/** How many times one open() resumes a dropped body with `Range` before giving up (core then retries). */
const MAX_RESUMES = 3;
/** A body that sends nothing for this long is treated as a dropped connection (and resumed). */
const STALL_MS = 60_000;

export interface DownloadOptions {
  signal: AbortSignal;
  offset?: number;
  logger?: Logger;
}

/**
 * Opens one file of a photo: a fresh download URL from its record (the listed one expires), then the bytes
 * streamed from `offset`, never buffered whole. A dropped connection resumes with `Range`; an expired URL (403,
 * 410) is re-resolved once; a body that stays short is a retryable error, a longer one an integrity error.
 */
export async function openResource(
  resolver: UrlResolver,
  http: () => IcloudHttp,
  handle: ResourceHandle,
  options: DownloadOptions,
): Promise<AsyncIterable<Uint8Array>> {
  const locator = decodeLocator(handle.locator);
  if (!locator || !handle.locator)
    throw new NotFoundError(`${handle.fileName}: not a resource this iCloud source listed`);
  const locatorText = handle.locator;
  const total = handle.size;
  const start = options.offset ?? 0;
  if (!Number.isSafeInteger(start) || start < 0 || start > total)
    throw new NotFoundError(`${handle.fileName}: offset ${start} is outside its ${total} bytes`);
  let url = await resolver.resolve(locatorText, locator, handle, { signal: options.signal });
  if (start === total) return (async function* () {})();

  let position = start;
  let refetched = false;
  let resumes = 0;

  const connect = async (): Promise<{ body: ReadableStream<Uint8Array>; skip: number }> => {
    for (;;) {
      const response = await http().request(url, {
        headers: { Range: `bytes=${position}-`, Accept: '*/*' },
        signal: options.signal,
        streaming: true,
        followRedirects: true,
      });
      const status = response.status;
      if ((status === 200 || status === 206) && response.body) {
        let skip = 0;
        if (status === 206) {
          const first = contentRangeStart(response.headers.get('content-range'));
          if (first === undefined || first > position) {
            await response.body.cancel().catch(() => {});
            throw protocolError(
              `the download server answered a range request from byte ${first} instead of ${position}`,
            );
          }
          skip = position - first;
        } else {
          skip = position; // the server ignored Range: drop what we already have
        }
        return { body: response.body, skip };
      }
      await response.body?.cancel().catch(() => {});
      if ((status === 403 || status === 410 || status === 404 || status === 401) && !refetched) {
        refetched = true;
        options.logger?.debug('Download URL expired; fetching a fresh one', { status });
        url = await resolver.resolve(locatorText, locator, handle, { signal: options.signal, fresh: true });
        continue;
      }
      if (status === 503 || status === 429) throw throttled('the download server', retryAfterMs(response));
      if (status >= 500 || status === 403 || status === 410 || status === 401)
        throw new TransientError(`The download of ${handle.fileName} failed (HTTP ${status})`);
      if (status === 404) throw new NotFoundError(`${handle.fileName} is gone from iCloud`);
      throw protocolError(`the download server answered HTTP ${status}`);
    }
  };

  let current = await connect();

  return (async function* () {
    for (;;) {
      const reader = current.body.getReader();
      let dropped: unknown;
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await readWithin(reader, STALL_MS);
          } catch (error) {
            if (options.signal.aborted) throw options.signal.reason;
            dropped = error;
            break;
          }
          if (chunk.done) break;
          let bytes = chunk.value;
          if (current.skip > 0) {
            const n = Math.min(current.skip, bytes.length);
            current.skip -= n;
            bytes = bytes.subarray(n);
            if (bytes.length === 0) continue;
          }
          if (position + bytes.length > total) {
            throw new IntegrityError(
              `${handle.fileName}: iCloud sent more than the ${total} bytes it declared; the copy is refused`,
            );
          }
          position += bytes.length;
          yield bytes;
        }
      } finally {
        await reader.cancel().catch(() => {});
      }
      if (position === total) return;
      if (++resumes > MAX_RESUMES) {
        throw new TransientError(
          `The download of ${handle.fileName} stopped at ${position} of ${total} bytes`,
          dropped === undefined ? {} : { cause: dropped },
        );
      }
      options.logger?.debug('Download cut short; resuming', { file: handle.fileName, position, total });
      current = await connect();
    }
  })();
}

/** One read, or an error when nothing arrives within `ms` (the stream is then cancelled). */
async function readWithin<T>(reader: ReadableStreamDefaultReader<T>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reader.cancel().catch(() => {});
      reject(new Error(`no data for ${ms / 1000} s`));
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

function contentRangeStart(header: string | null): number | undefined {
  const m = header ? /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header.trim()) : null;
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
