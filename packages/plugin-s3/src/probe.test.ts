import { describe, expect, it } from 'vitest';
import { probeWrites } from './probe.js';
import { s3Error, stubContext } from './test-helpers/stub-context.js';

/** A bucket of one object at a time, whose PUT honours or ignores If-None-Match, or rejects it with 501. */
function server(ifNoneMatch: 'enforced' | 'ignored' | 'rejected') {
  const objects = new Map<string, Buffer>();
  return {
    PutObjectCommand: (input: Record<string, unknown>) => {
      const key = String(input.Key);
      if (input.IfNoneMatch === '*' && ifNoneMatch === 'rejected') throw s3Error('NotImplemented', 501);
      if (input.IfNoneMatch === '*' && ifNoneMatch === 'enforced' && objects.has(key)) {
        throw s3Error('PreconditionFailed', 412);
      }
      const body = input.Body as Buffer;
      expect(input.ContentMD5).toBeUndefined(); // when_required: the SigV4 payload sha256 guards the bytes
      objects.set(key, body);
      return {};
    },
    GetObjectCommand: (input: Record<string, unknown>) => {
      const body = objects.get(String(input.Key));
      return { Body: { transformToByteArray: async () => new Uint8Array(body ?? []) } };
    },
    DeleteObjectCommand: (input: Record<string, unknown>) => {
      objects.delete(String(input.Key));
      return {};
    },
  };
}

describe('probeWrites', () => {
  it.each([
    ['enforced', true],
    ['ignored', false],
    ['rejected', false],
  ] as const)('finds If-None-Match %s (enforced: %s) and removes its probe', async (behaviour, enforced) => {
    const { ctx, sent } = stubContext(server(behaviour), { prefix: 'p' });
    expect(await probeWrites(ctx)).toBe(enforced);
    const keys = new Set(sent.map((s) => s.input.Key));
    expect(keys.size).toBe(1);
    expect(String([...keys][0])).toMatch(/^p\/\.lifeboat\/probe-[0-9a-f-]{36}$/);
    expect(sent.at(-1)?.command).toBe('DeleteObjectCommand');
  });

  it('fails the connection test when the server gives back other bytes', async () => {
    const replies = server('enforced');
    const { ctx } = stubContext({
      ...replies,
      GetObjectCommand: () => ({ Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) } }),
    });
    await expect(probeWrites(ctx)).rejects.toMatchObject({ code: 'LIFEBOAT_INTEGRITY' });
  });
});
