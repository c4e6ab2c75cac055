import type { ObjectInfo, ReadOptions, RetryPolicy, WriteOptions } from '@lifeboat/plugin-api';
import { AlreadyExistsError, NotFoundError, TransientError } from '@lifeboat/plugin-api';
import { collect, MemoryDestination } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { RetryingDestination } from './retrying-destination.js';

const policy: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

/** A real in-memory destination whose next calls fail with a transient error, counting every call. */
class FlakyDestination extends MemoryDestination {
  failures = 0;
  readonly calls: string[] = [];

  private flake(method: string) {
    this.calls.push(method);
    if (this.failures > 0) {
      this.failures--;
      throw new TransientError(`${method}: 503 Slow Down`);
    }
  }
  override async describe() {
    this.flake('describe');
    return super.describe();
  }
  override async stat(key: string) {
    this.flake('stat');
    return super.stat(key);
  }
  override async read(key: string, options?: ReadOptions) {
    this.flake('read');
    return super.read(key, options);
  }
  override async write(key: string, body: AsyncIterable<Uint8Array>, options: WriteOptions): Promise<ObjectInfo> {
    this.flake('write');
    return super.write(key, body, options);
  }
  override async delete(key: string) {
    this.flake('delete');
    return super.delete(key);
  }
  async recover() {
    this.flake('recover');
  }
}

async function* body(data: Buffer) {
  yield data;
}

function setup(failures: number) {
  const inner = new FlakyDestination();
  inner.objects.set('a.jpg', { data: Buffer.from('hello'), modifiedAt: 'T' });
  inner.failures = failures;
  const retries: number[] = [];
  const outer = new RetryingDestination(inner, policy, { onRetry: (i) => retries.push(i.attempt) });
  return { inner, outer, retries };
}

describe('RetryingDestination', () => {
  it('retries stat, read, delete, describe and recover through transient failures', async () => {
    const calls: [string, (d: RetryingDestination) => Promise<unknown>][] = [
      ['stat', (d) => d.stat('a.jpg')],
      ['read', async (d) => collect(await d.read('a.jpg'))],
      ['describe', (d) => d.describe()],
      ['recover', (d) => d.recover()],
      ['delete', (d) => d.delete('a.jpg')],
    ];
    for (const [method, call] of calls) {
      const { inner, outer, retries } = setup(2);
      const result = await call(outer);
      expect(inner.calls).toEqual([method, method, method]);
      expect(retries).toEqual([1, 2]);
      if (method === 'read') expect(String(result)).toBe('hello');
      if (method === 'stat') expect(result).toMatchObject({ key: 'a.jpg', size: 5 });
    }
  });

  it('gives up after the policy attempts', async () => {
    const { inner, outer } = setup(5);
    await expect(outer.stat('a.jpg')).rejects.toBeInstanceOf(TransientError);
    expect(inner.calls).toHaveLength(3);
  });

  it('never retries a write: its body is a one-shot stream', async () => {
    const { inner, outer, retries } = setup(1);
    const data = Buffer.from('new bytes');
    await expect(outer.write('b.jpg', body(data), { size: data.length })).rejects.toBeInstanceOf(TransientError);
    expect(inner.calls).toEqual(['write']);
    expect(retries).toEqual([]);
    expect(inner.objects.has('b.jpg')).toBe(false);
    await expect(outer.write('b.jpg', body(data), { size: data.length })).resolves.toMatchObject({ size: 9 });
  });

  it('passes on errors that are not transient at once', async () => {
    const { inner, outer } = setup(0);
    await expect(outer.read('missing.jpg')).rejects.toBeInstanceOf(NotFoundError);
    expect(inner.calls).toEqual(['read']);
    await expect(outer.write('a.jpg', body(Buffer.from('x')), { size: 1 })).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('lists through the inner destination', async () => {
    const { outer } = setup(0);
    const keys: string[] = [];
    for await (const info of outer.list()) keys.push(info.key);
    expect(keys).toEqual(['a.jpg']);
  });

  it('stops retrying when the run is aborted', async () => {
    const inner = new FlakyDestination();
    inner.failures = 10;
    const controller = new AbortController();
    const slow = { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const outer = new RetryingDestination(inner, slow, {
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    await expect(outer.stat('a.jpg')).rejects.toThrow();
    expect(inner.calls).toEqual(['stat']);
  });
});
