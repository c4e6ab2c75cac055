import { chunked } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { uploadInParts } from './multipart-upload.js';
import { MIB } from './part-size.js';
import { s3Error, stubContext } from './test-helpers/stub-context.js';

// The multipart protocol against a stub server, for failures fauxqs cannot produce on demand.

const target = { objectKey: 'p/video.mov', key: 'video.mov', partSize: 5 * MIB, createParams: {}, ifNoneMatch: true };

function server(failPart?: number) {
  return {
    CreateMultipartUploadCommand: () => ({ UploadId: 'U1' }),
    UploadPartCommand: (input: Record<string, unknown>) => {
      if (input.PartNumber === failPart) throw s3Error('SlowDown', 503);
      return { ETag: `"etag-${input.PartNumber}"` };
    },
    CompleteMultipartUploadCommand: () => ({}),
    AbortMultipartUploadCommand: () => ({}),
  };
}

describe('uploadInParts', () => {
  it('uploads full parts and a short last one, then completes with the parts in order', async () => {
    const { ctx, sent } = stubContext(server());
    await uploadInParts(ctx, target, chunked(Buffer.alloc(12 * MIB, 7), 700_000));
    const parts = sent.filter((s) => s.command === 'UploadPartCommand');
    expect(parts.map((p) => (p.input.Body as Buffer).length)).toEqual([5 * MIB, 5 * MIB, 2 * MIB]);
    // when_required: each part travels under its SigV4 payload sha256 alone (no Content-MD5 pass, no CRC32).
    expect(parts.every((p) => p.input.ContentMD5 === undefined && p.input.ChecksumAlgorithm === undefined)).toBe(true);
    const complete = sent.find((s) => s.command === 'CompleteMultipartUploadCommand');
    expect(complete?.input).toMatchObject({
      UploadId: 'U1',
      IfNoneMatch: '*',
      MultipartUpload: { Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"etag-${n}"` })) },
    });
  });

  it('fails with a retryable error when a part fails, aborting the upload instead of completing it', async () => {
    const { ctx, sent } = stubContext(server(2));
    await expect(uploadInParts(ctx, target, chunked(Buffer.alloc(16 * MIB), MIB))).rejects.toMatchObject({
      code: 'LIFEBOAT_TRANSIENT',
      retryable: true,
    });
    const commands = sent.map((s) => s.command);
    expect(commands).toContain('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    expect(commands.at(-1)).toBe('AbortMultipartUploadCommand');
  });

  it('hands an upload it cannot abort to recover()', async () => {
    const { ctx } = stubContext({
      ...server(1),
      AbortMultipartUploadCommand: () => {
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      },
    });
    await expect(uploadInParts(ctx, target, chunked(Buffer.alloc(11 * MIB), MIB))).rejects.toMatchObject({
      code: 'LIFEBOAT_TRANSIENT',
    });
    expect([...ctx.abandoned]).toEqual(['U1']);
  });

  it('reports a refused completion (If-None-Match lost the race) as already existing', async () => {
    const { ctx, sent } = stubContext({
      ...server(),
      CompleteMultipartUploadCommand: () => {
        throw s3Error('PreconditionFailed', 412);
      },
    });
    await expect(uploadInParts(ctx, target, chunked(Buffer.alloc(6 * MIB), MIB))).rejects.toMatchObject({
      code: 'LIFEBOAT_ALREADY_EXISTS',
    });
    expect(sent.at(-1)?.command).toBe('AbortMultipartUploadCommand');
  });

  it('holds at most queueSize + 1 parts in memory: the next part waits for a finished upload', async () => {
    let inFlight = 0;
    let most = 0;
    const { ctx } = stubContext({
      ...server(),
      UploadPartCommand: async (input: Record<string, unknown>) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return { ETag: `"${input.PartNumber}"` };
      },
    });
    await uploadInParts(ctx, target, chunked(Buffer.alloc(40 * MIB), MIB));
    expect(most).toBe(ctx.tuning.queueSize + 1);
  });
});
