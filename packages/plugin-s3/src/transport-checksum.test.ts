import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { chunked } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { uploadInParts } from './multipart-upload.js';
import { MIB } from './part-size.js';
import { stubContext } from './test-helpers/stub-context.js';
import { signWithPayloadSha256, wantsContentMd5 } from './transport-checksum.js';

/** A loopback server that answers 200 to anything and keeps the headers of what it received. */
async function capture<T>(run: (endpoint: string) => Promise<T>): Promise<IncomingHttpHeaders[]> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(200, { ETag: '"e"' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}

describe('transport checksums', () => {
  it('signs a request with the sha256 we give, which the signature covers', async () => {
    const body = Buffer.from('the bytes of a photo');
    const sha256 = createHash('sha256').update(body).digest('hex');
    const [headers] = await capture(async (endpoint) => {
      const client = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      const command = new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: body, ContentLength: body.length });
      await client.send(signWithPayloadSha256(command, sha256));
      client.destroy();
    });
    expect(headers?.['x-amz-content-sha256']).toBe(sha256);
    expect(headers?.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
    expect(headers?.['content-md5']).toBeUndefined();
  });

  it('adds Content-MD5 only in when_required mode with Object Lock, where AWS demands it', () => {
    expect(wantsContentMd5({ checksumMode: 'when_required' })).toBe(false);
    expect(wantsContentMd5({ checksumMode: 'when_supported' })).toBe(false);
    expect(wantsContentMd5({ checksumMode: 'when_required', objectLock: { mode: 'GOVERNANCE', days: 1 } })).toBe(true);
  });

  it('sends Content-MD5 with every part of an upload to an Object Lock bucket', async () => {
    const { ctx, sent } = stubContext(
      {
        CreateMultipartUploadCommand: () => ({ UploadId: 'U1' }),
        UploadPartCommand: (input) => ({ ETag: `"${input.PartNumber}"` }),
        CompleteMultipartUploadCommand: () => ({}),
      },
      { checksumMode: 'when_required', objectLockMode: 'GOVERNANCE', objectLockDays: 1 },
    );
    const data = Buffer.alloc(11 * MIB, 3);
    const target = { objectKey: 'v.mov', key: 'v.mov', partSize: 5 * MIB, createParams: {}, ifNoneMatch: false };
    await uploadInParts(ctx, target, chunked(data, MIB));
    const parts = sent.filter((s) => s.command === 'UploadPartCommand').map((s) => s.input);
    expect(parts.map((p) => p.ContentMD5)).toEqual(
      [data.subarray(0, 5 * MIB), data.subarray(5 * MIB, 10 * MIB), data.subarray(10 * MIB)].map((b) =>
        createHash('md5').update(b).digest('base64'),
      ),
    );
  });
});
