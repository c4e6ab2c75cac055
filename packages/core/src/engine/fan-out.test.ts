import { describe, expect, it } from 'vitest';
import { fanOut } from './fan-out.js';

async function* chunks(n: number, size = 1000): AsyncIterable<Uint8Array> {
  for (let i = 0; i < n; i++) yield Buffer.alloc(size, i);
}

async function drain(s: AsyncIterable<Uint8Array>) {
  let total = 0;
  for await (const c of s) total += c.length;
  return total;
}

describe('fanOut', () => {
  it('gives every consumer the same bytes and the sha256 of the whole', async () => {
    const f = fanOut(chunks(50), 3, { size: 50_000 });
    const sizes = await Promise.all(f.streams.map(drain));
    expect(sizes).toEqual([50_000, 50_000, 50_000]);
    expect((await f.done).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('offers its digest to the consumers once the source ended, and only when the checks passed', async () => {
    let resume!: () => void;
    async function* paused() {
      yield Buffer.alloc(1000, 1);
      await new Promise<void>((r) => (resume = r));
      yield Buffer.alloc(1000, 2);
    }
    const f = fanOut(paused(), 2, { size: 2000 });
    const first = f.streams.map((s) => s[Symbol.asyncIterator]());
    await Promise.all(first.map((it) => it.next()));
    expect(f.sha256(), 'while the source is still being read').toBeUndefined();
    resume();
    const ends = await Promise.all(
      first.map(async (it) => {
        while (!(await it.next()).done);
        return f.sha256();
      }),
    );
    const { sha256 } = await f.done;
    expect(ends).toEqual([sha256, sha256]);

    const bad = fanOut(chunks(2), 1, { size: 2000, sha256: '0'.repeat(64) });
    await expect(drain(bad.streams[0]!)).rejects.toThrow(/sha256/);
    expect(bad.sha256(), 'after a failed check').toBeUndefined();
  });

  it('fails every consumer when the source is shorter than announced', async () => {
    const f = fanOut(chunks(5), 2, { size: 10_000 });
    const results = await Promise.allSettled(f.streams.map(drain));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(f.done).rejects.toThrow(/5000 of 10000/);
  });

  it('fails when the bytes do not match a known sha256', async () => {
    const f = fanOut(chunks(2), 1, { size: 2000, sha256: '0'.repeat(64) });
    await expect(drain(f.streams[0]!)).rejects.toThrow(/sha256/);
  });

  it('keeps feeding the others when one consumer stops or is released', async () => {
    const f = fanOut(chunks(100), 3, { size: 100_000 }, 2);
    const early = (async () => {
      for await (const _ of f.streams[0]!) break;
    })();
    f.release(2); // never read: must not block the rest
    expect(await drain(f.streams[1]!)).toBe(100_000);
    await early;
    await f.done;
  });

  it('reads ahead of a slow consumer by about 2 MiB, whatever the chunk count allows', async () => {
    const MIB = 1024 * 1024;
    let read = 0;
    async function* counted() {
      for (let i = 0; i < 20; i++) {
        read++;
        yield Buffer.alloc(MIB);
      }
    }
    const f = fanOut(counted(), 1, { size: 20 * MIB });
    const iterator = f.streams[0]![Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the producer runs ahead as far as it may
    expect(read).toBeLessThanOrEqual(1 + 3); // the chunk taken, then up to 2 MiB queued (+ the one in hand)
    expect(await drain({ [Symbol.asyncIterator]: () => iterator })).toBe(19 * MIB);
    await f.done;
  });
});
