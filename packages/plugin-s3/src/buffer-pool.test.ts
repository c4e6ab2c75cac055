import { chunked } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';
import { uploadInParts } from './multipart-upload.js';
import { MIB } from './part-size.js';
import { stubContext } from './test-helpers/stub-context.js';

describe('BufferPool', () => {
  it('hands a given-back buffer out again, keeps at most `keep`, and never pools other sizes', () => {
    const pool = new BufferPool(1024, 1);
    const [a, b] = [pool.take(), pool.take()];
    pool.give(a);
    pool.give(b); // over `keep`: dropped
    expect(pool.take()).toBe(a);
    expect(pool.take()).not.toBe(b);
    const odd = pool.take(2048);
    expect(odd.length).toBe(2048);
    pool.give(odd);
    expect(pool.take()).not.toBe(odd);
  });

  it('lets one multipart upload reuse the part buffers of the one before', async () => {
    const { ctx } = stubContext({
      CreateMultipartUploadCommand: () => ({ UploadId: 'U1' }),
      UploadPartCommand: (input) => ({ ETag: `"${input.PartNumber}"` }),
      CompleteMultipartUploadCommand: () => ({}),
    });
    const pool = new BufferPool(5 * MIB, 8);
    ctx.buffers = pool;
    const bodies = new Set<ArrayBufferLike>();
    const target = { objectKey: 'v.mov', key: 'v.mov', partSize: 5 * MIB, createParams: {}, ifNoneMatch: false };
    const spy = ctx.uploadClient.send.bind(ctx.uploadClient);
    ctx.uploadClient.send = ((command: { input: { Body?: Buffer } }) => {
      if (command.input.Body) bodies.add(command.input.Body.buffer);
      return spy(command as never);
    }) as typeof ctx.uploadClient.send;
    for (let i = 0; i < 3; i++) await uploadInParts(ctx, target, chunked(Buffer.alloc(12 * MIB, i), MIB));
    // Nine parts in three uploads went out of at most queueSize + 1 buffers.
    expect(bodies.size).toBeLessThanOrEqual(ctx.tuning.queueSize + 1);
  });
});
