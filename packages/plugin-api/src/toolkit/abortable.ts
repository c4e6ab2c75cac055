/**
 * Iterates `source`, but rejects as soon as `signal` aborts, even while the source is stalled waiting for the
 * network. Leaving early (abort, error, or the consumer stopping) calls the source's `return()` so it can
 * release what it holds.
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      signal.throwIfAborted();
      const result = await untilAborted(iterator.next(), signal);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Not awaited: a stalled source may never settle, and the caller must fail now.
    if (!finished) Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/** One listener per call, removed when `promise` settles (a race against one long-lived promise would leak). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    // The source may have aborted while producing `promise` (next() runs synchronously): no event will come.
    if (signal.aborted) return onAbort();
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
