import { isAbort } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallGuard, PluginTimeoutError } from './call-guard.js';

const never = () => new Promise<never>(() => {});

describe('CallGuard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a call that never answers at its deadline, aborts its signal, then fails every later call at once', async () => {
    const guard = new CallGuard('destination "nas"', 1000);
    let seen: AbortSignal | undefined;
    const pending = guard.call('stat a', (signal) => {
      seen = signal;
      return never();
    });
    const settled = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await settled;
    expect(error).toBeInstanceOf(PluginTimeoutError);
    expect((error as Error).message).toMatch(/^Destination "nas" did not answer within 1 s \(stat a\)/);
    expect(seen?.aborted).toBe(true);
    let started = false;
    await expect(
      guard.call('stat b', async () => {
        started = true;
      }),
    ).rejects.toBe(error);
    expect(started).toBe(false);
  });

  it('rejects a pending call as soon as the command stops, whatever the plugin does', async () => {
    const stop = new AbortController();
    const guard = new CallGuard('destination "nas"', 60_000, stop.signal);
    const settled = guard.call('write a', never).catch((e: unknown) => e);
    stop.abort(new Error('stopped by the user'));
    const error = await settled;
    expect(isAbort(error)).toBe(true);
    expect(guard.hung).toBe(false);
  });

  it('times a streaming write by silence: slow steady progress passes, waiting on the body does not count', async () => {
    const guard = new CallGuard('destination "nas"', 1000);
    async function* slowSource() {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 3000)); // Lifeboat's side is slow: not the plugin's fault
        yield new Uint8Array([i]);
      }
    }
    const write = guard.call('write a', async (_signal, watch) => {
      let n = 0;
      for await (const chunk of guard.body(slowSource(), watch)) {
        n += chunk.length;
        await new Promise((resolve) => setTimeout(resolve, 900)); // the plugin's own work per chunk, under 1 s
      }
      return n;
    });
    await vi.advanceTimersByTimeAsync(5 * 3900);
    await expect(write).resolves.toBe(5);
  });

  it('fails a write whose plugin stops taking bytes', async () => {
    const guard = new CallGuard('destination "nas"', 1000);
    async function* body() {
      yield new Uint8Array([1]);
      yield new Uint8Array([2]);
    }
    const write = guard
      .call('write a', async (_signal, watch) => {
        for await (const _ of guard.body(body(), watch)) await never();
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await write).toBeInstanceOf(PluginTimeoutError);
  });

  it('times each step of an iterable: a listing that stops yielding fails', async () => {
    const guard = new CallGuard('source "photos"', 1000);
    async function* listing() {
      yield 1;
      await never();
    }
    const seen: number[] = [];
    const done = (async () => {
      for await (const x of guard.iterable('list', listing)) seen.push(x);
    })().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await done).toBeInstanceOf(PluginTimeoutError);
    expect(seen).toEqual([1]);
  });
});
