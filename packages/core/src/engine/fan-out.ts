import { createHash } from 'node:crypto';
import { IntegrityError } from '@lifeboat/plugin-api';

export interface FanOutResult {
  size: number;
  sha256: string;
}

/**
 * A consumer is also saturated once it holds this many bytes, whatever the chunk count: 8 chunks of a 1 MiB file
 * read are 8 MiB per destination, which is what a slow destination would otherwise keep waiting in memory.
 */
const HIGH_WATER_BYTES = 2 * 1024 * 1024;

interface Consumer {
  queue: Uint8Array[];
  queuedBytes: number;
  active: boolean;
  wake: (() => void) | undefined;
}

/**
 * Reads a source once and hands every chunk to `count` consumers (one per destination), hashing on the way.
 *
 * Backpressure: the source is read only while every active consumer holds fewer than `highWater` chunks and
 * fewer than HIGH_WATER_BYTES bytes, so memory stays bounded by `count × min(highWater × chunk size, ~2 MiB +
 * one chunk)` whatever the file size. A consumer that stops early (its destination failed) is dropped and the
 * others continue.
 *
 * Integrity: a consumer sees the end of its stream only after the whole source was read and its size (and
 * sha256, when known in advance) checked; otherwise it sees an error, so a destination never commits bytes that
 * were short, long or wrong.
 */
export function fanOut(
  source: AsyncIterable<Uint8Array>,
  count: number,
  expected: { size: number; sha256?: string },
  highWater = 8,
): {
  streams: AsyncIterable<Uint8Array>[];
  done: Promise<FanOutResult>;
  /** The sha256 of what was read, once the source ended and passed the checks (the consumers' end). */
  sha256: () => string | undefined;
  release: (index: number) => void;
} {
  const consumers: Consumer[] = Array.from({ length: count }, () => ({
    queue: [],
    queuedBytes: 0,
    active: true,
    wake: undefined,
  }));
  let finished = false;
  let failure: unknown;
  let digest: string | undefined;
  let producerWake: (() => void) | undefined;

  const wakeProducer = () => {
    producerWake?.();
    producerWake = undefined;
  };
  const wakeAll = () => {
    for (const c of consumers) {
      c.wake?.();
      c.wake = undefined;
    }
  };
  const saturated = () =>
    consumers.some((c) => c.active && (c.queue.length >= highWater || c.queuedBytes >= HIGH_WATER_BYTES));
  const anyActive = () => consumers.some((c) => c.active);

  const done = (async (): Promise<FanOutResult> => {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        if (!anyActive()) break;
        hash.update(chunk);
        size += chunk.length;
        if (size > expected.size) throw new IntegrityError(`Source gave more than the expected ${expected.size} bytes`);
        for (const c of consumers) {
          if (!c.active) continue;
          c.queue.push(chunk);
          c.queuedBytes += chunk.length;
        }
        wakeAll();
        while (saturated()) await new Promise<void>((resolve) => (producerWake = resolve));
      }
      const sha256 = hash.digest('hex');
      if (anyActive()) {
        if (size !== expected.size) {
          throw new IntegrityError(`Source ended after ${size} of ${expected.size} bytes`);
        }
        if (expected.sha256 && expected.sha256 !== sha256) {
          throw new IntegrityError(`Source bytes have sha256 ${sha256}, expected ${expected.sha256}`);
        }
      }
      digest = sha256;
      return { size, sha256 };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      finished = true;
      wakeAll();
    }
  })();
  // The caller awaits `done`; this keeps an early consumer exit from surfacing as an unhandled rejection.
  done.catch(() => {});

  // A destination may fail without draining its stream; releasing it keeps the others from waiting on it.
  const release = (index: number) => {
    const c = consumers[index];
    if (!c?.active) return;
    c.active = false;
    c.queue.length = 0;
    c.queuedBytes = 0;
    wakeProducer();
  };

  const stream = (c: Consumer): AsyncIterable<Uint8Array> => ({
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Uint8Array>> {
        for (;;) {
          const chunk = c.queue.shift();
          if (chunk) {
            c.queuedBytes -= chunk.length;
            wakeProducer();
            return { value: chunk, done: false };
          }
          if (finished) {
            if (failure !== undefined) throw failure;
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => (c.wake = resolve));
        }
      },
      async return(): Promise<IteratorResult<Uint8Array>> {
        release(consumers.indexOf(c));
        return { value: undefined, done: true };
      },
    }),
  });

  return { streams: consumers.map(stream), done, sha256: () => digest, release };
}
