import { ErrorCode, LifeboatError } from '@lifeboat/plugin-api';

/**
 * How long a plugin may stay silent by default: no answer to a call, or no progress on a stream (a write that
 * pulls no bytes, a read that yields none). On inactivity, not on total time, so a 4 GB video on a slow link
 * never hits it while it moves.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 5 * 60_000;
/** Once the run is stopping, a call that starts (the last index flush, close) gets at most this long. */
const STOPPING_GRACE_MS = 5_000;

/** A plugin call passed its deadline: the instance is treated as hung for the rest of the command. */
export class PluginTimeoutError extends LifeboatError {
  static readonly code = ErrorCode.PluginTimeout;
  constructor(message: string, hint: string) {
    super(PluginTimeoutError.code, message, { hint });
  }
}

const stopped = (signal: AbortSignal) =>
  Object.assign(new Error(signal.reason instanceof Error ? signal.reason.message : 'stopped'), { name: 'AbortError' });

const asSeconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/** A timer that counts only while the plugin owes an answer: paused while it waits on Lifeboat (a write's body). */
export class Watch {
  #timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly ms: number,
    private readonly expire: () => void,
  ) {}
  resume(): void {
    this.pause();
    this.#timer = setTimeout(this.expire, this.ms);
  }
  pause(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * The deadline and abort path of every call into one configured source or destination: a call that passes the
 * deadline rejects with PluginTimeoutError (and its signal aborts, for a plugin that listens), after which every
 * call to the instance fails at once with the same error, so a hung mount costs one deadline, not one per file.
 * When `signal` (the command's) aborts, pending calls reject at once, whatever the plugin does: SIGTERM must end
 * a run whose plugin never answers.
 */
export class CallGuard {
  #hung: PluginTimeoutError | undefined;

  constructor(
    /** `destination "nas"`, for messages. */
    readonly what: string,
    readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  get hung(): boolean {
    return this.#hung !== undefined;
  }

  /**
   * Runs one call. `start` gets a signal that aborts on the deadline or the command's stop, and the watch, which it
   * may pause while the plugin waits on Lifeboat (a streaming write pulling its body).
   */
  call<T>(op: string, start: (signal: AbortSignal, watch: Watch) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#hung) return Promise.reject(this.#hung);
    const outer = [this.signal, signal].filter((s) => s !== undefined);
    const stopping = outer.find((s) => s.aborted);
    const ms = stopping ? Math.min(this.timeoutMs, STOPPING_GRACE_MS) : this.timeoutMs;
    const inner = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const watch = new Watch(ms, () => {
        this.#hung ??= new PluginTimeoutError(
          `${cap(this.what)} did not answer within ${asSeconds(ms)} (${op}); it is skipped for the rest of this command`,
          `Check that it is reachable (a hung drive, network mount or server?); if it is only slow, raise its callTimeoutSeconds in the config (now ${Math.round(this.timeoutMs / 1000)})`,
        );
        finish(this.#hung);
      });
      const onStop = (e: Event) => finish(stopped(e.target as AbortSignal));
      let settled = false;
      const finish = (error: unknown, value?: T) => {
        if (settled) return;
        settled = true;
        watch.pause();
        for (const s of outer) s.removeEventListener('abort', onStop);
        if (error === undefined) resolve(value as T);
        else {
          inner.abort(error);
          reject(error);
        }
      };
      // A call started while stopping still runs (the last index flush must be written), under the short grace.
      if (!stopping) for (const s of outer) s.addEventListener('abort', onStop, { once: true });
      watch.resume();
      let pending: Promise<T>;
      try {
        pending = start(inner.signal, watch);
      } catch (error) {
        finish(error ?? new Error('failed'));
        return;
      }
      pending.then(
        (value) => finish(undefined, value),
        (error: unknown) => finish(error ?? new Error(`${op} failed`)),
      );
    });
  }

  /**
   * An iterable whose every step (and its end) is a call under this guard: a listing that stops yielding fails.
   * `stream`, when given, is aborted when a step passes its deadline or the command stops, so the plugin's
   * transfer behind the iterable ends too.
   */
  iterable<T>(
    op: string,
    make: () => AsyncIterable<T>,
    signal?: AbortSignal,
    stream?: AbortController,
  ): AsyncIterable<T> {
    const step = (s: AbortSignal) => {
      if (stream) s.addEventListener('abort', () => stream.abort(s.reason), { once: true });
    };
    return {
      [Symbol.asyncIterator]: () => {
        let it: AsyncIterator<T> | undefined;
        const iterator = () => (it ??= make()[Symbol.asyncIterator]());
        return {
          next: () =>
            this.call(
              op,
              async (s) => {
                step(s);
                return iterator().next();
              },
              signal,
            ),
          return: async (value?: unknown) => {
            if (!it?.return) return { done: true as const, value: value as T };
            return this.call(op, async () => it!.return!(value), signal);
          },
        };
      },
    };
  }

  /**
   * A body handed to the plugin (a write's bytes): the deadline counts only while the plugin holds it, not while
   * the next chunk is on its way from the source, and restarts with each chunk the plugin takes.
   */
  async *body(body: AsyncIterable<Uint8Array>, watch: Watch): AsyncIterable<Uint8Array> {
    const it = body[Symbol.asyncIterator]();
    let ended = false;
    try {
      for (;;) {
        watch.pause();
        const step = await it.next();
        watch.resume();
        if (step.done) {
          ended = true;
          return;
        }
        yield step.value;
      }
    } finally {
      // The plugin stopped taking bytes early (it failed): let the rest of the fan-out go on without it.
      if (!ended) await it.return?.();
    }
  }
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
