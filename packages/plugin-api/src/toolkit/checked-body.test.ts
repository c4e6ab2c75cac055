import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkedBody } from './checked-body.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function drain(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(Buffer.from(chunk));
  return Buffer.concat(out).toString();
}

describe('checkedBody', () => {
  it('passes a body of the promised size and sha256 through, and gives its digest', async () => {
    const checked = checkedBody(chunks('hello ', 'world'), { key: 'k', size: 11, sha256: sha('hello world') });
    expect(await drain(checked.stream)).toBe('hello world');
    expect(checked.sha256()).toBe(sha('hello world'));
  });

  it("takes core's digest of the body instead of hashing again, but still hashes to check an expected sha256", async () => {
    // A digest no hash of 'abc' can give: coming back proves no second pass ran.
    const fromCore = checkedBody(chunks('abc'), {
      key: 'k',
      size: 3,
      alwaysHash: true,
      bodySha256: () => 'f'.repeat(64),
    });
    expect(await drain(fromCore.stream)).toBe('abc');
    expect(fromCore.sha256()).toBe('f'.repeat(64));

    const checking = checkedBody(chunks('abc'), {
      key: 'k',
      size: 3,
      sha256: sha('abd'),
      bodySha256: () => sha('abd'),
    });
    await expect(drain(checking.stream)).rejects.toThrow(/does not match/);

    const silent = checkedBody(chunks('abc'), { key: 'k', size: 3, alwaysHash: true, bodySha256: () => undefined });
    await expect(drain(silent.stream)).rejects.toThrow(/no digest/);
  });

  it('hashes only to check, unless asked to always hash', async () => {
    const plain = checkedBody(chunks('abc'), { key: 'k', size: 3 });
    await drain(plain.stream);
    expect(plain.sha256()).toBeUndefined();
    const hashed = checkedBody(chunks('abc'), { key: 'k', size: 3, alwaysHash: true });
    await drain(hashed.stream);
    expect(hashed.sha256()).toBe(sha('abc'));
  });

  it('refuses a long body as soon as it is too long, before yielding the excess', async () => {
    const seen: string[] = [];
    const checked = checkedBody(chunks('abc', 'def', 'never'), { key: 'k', size: 4 });
    await expect(
      (async () => {
        for await (const c of checked.stream) seen.push(Buffer.from(c).toString());
      })(),
    ).rejects.toMatchObject({ code: 'LIFEBOAT_INTEGRITY', message: 'k: the body is longer than the declared 4 bytes' });
    expect(seen).toEqual(['abc']);
  });

  it('refuses a short body and another sha256 at the end, so nothing is committed', async () => {
    await expect(drain(checkedBody(chunks('abc'), { key: 'k', size: 5 }).stream)).rejects.toThrow(
      'k: the body ended after 3 of the declared 5 bytes',
    );
    await expect(drain(checkedBody(chunks('abc'), { key: 'k', size: 3, sha256: sha('abd') }).stream)).rejects.toThrow(
      /does not match the expected/,
    );
  });

  it('fails with the signal reason while the producer is stalled', async () => {
    const abort = new AbortController();
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }),
    };
    const pending = drain(checkedBody(stalled, { key: 'k', size: 1, signal: abort.signal }).stream);
    abort.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });

  it('runs beforeEnd after the checks, and its refusal fails the stream', async () => {
    const checked = checkedBody(chunks('abc'), {
      key: 'k',
      size: 3,
      beforeEnd: async () => {
        throw new Error('no commit');
      },
    });
    await expect(drain(checked.stream)).rejects.toThrow('no commit');
    expect(() => checked.sha256()).toThrow(/before the body ended/);
  });
});
