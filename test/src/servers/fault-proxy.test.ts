/**
 * The fault proxy in front of the real Swift s3api server: it passes signed requests through untouched, injects
 * 503 / SlowDown / 500 and dropped connections exactly where its plan says, the AWS SDK sees those faults as such,
 * and with the SDK's own retries the same operations succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type FaultProxy, type FaultRule, startFaultProxy } from './fault-proxy.js';
import { s3Operation } from './s3-operation.js';
import { type SwiftServer, startSwift } from './swift.js';

const BUCKET = 'faults';
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let swift: SwiftServer;
let proxy: FaultProxy;
const clients: S3Client[] = [];
/** A client for the proxy (or, with `direct`, for Swift itself). */
function client(overrides: Partial<S3ClientConfig> & { direct?: boolean } = {}): S3Client {
  const { direct, ...rest } = overrides;
  const s3 = new S3Client(
    swift.clientConfig({ ...(direct ? {} : { endpoint: proxy.endpoint }), maxAttempts: 1, logger: quiet, ...rest }),
  );
  clients.push(s3);
  return s3;
}

async function getBytes(s3: S3Client, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

beforeAll(async () => {
  swift = await startSwift();
  proxy = await startFaultProxy({ target: swift.endpoint });
  await swift.createBucket(BUCKET);
});

beforeEach(() => {
  proxy.setPlan([]);
  proxy.resetStats();
});

afterAll(async () => {
  for (const s3 of clients) s3.destroy();
  await proxy?.stop();
  await swift?.stop();
});

describe('s3Operation', () => {
  test.each([
    ['GET', '/', {}, 'ListBuckets'],
    ['PUT', '/b', {}, 'CreateBucket'],
    ['HEAD', '/b', {}, 'HeadBucket'],
    ['GET', '/b?list-type=2&prefix=a', {}, 'ListObjectsV2'],
    ['GET', '/b?prefix=a', {}, 'ListObjects'],
    ['GET', '/b?location', {}, 'GetBucket'],
    ['POST', '/b?delete', {}, 'DeleteObjects'],
    ['PUT', '/b/k/x.jpg', {}, 'PutObject'],
    ['PUT', '/b/k', { 'x-amz-copy-source': '/b/j' }, 'CopyObject'],
    ['GET', '/b/k', {}, 'GetObject'],
    ['HEAD', '/b/k', {}, 'HeadObject'],
    ['DELETE', '/b/k', {}, 'DeleteObject'],
    ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', {}, 'UploadPart'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', { 'x-amz-copy-source': '/b/j' }, 'UploadPartCopy'],
    ['POST', '/b/k?uploadId=u', {}, 'CompleteMultipartUpload'],
    ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', '/b/k?uploadId=u', {}, 'ListParts'],
    ['GET', '/b?uploads', {}, 'ListMultipartUploads'],
  ] as const)('%s %s -> %s', (method, url, headers, operation) => {
    expect(s3Operation(method, url, headers)).toBe(operation);
  });

  test('plans are checked', () => {
    const bad: FaultRule[][] = [
      [{ inject: '503' }],
      [{ every: 2, first: 1, inject: '503' }],
      [{ every: 0, inject: '503' }],
      [{ at: [0], inject: '503' }],
      [{ first: 1, inject: 'teapot' as '503' }],
    ];
    for (const plan of bad) expect(() => proxy.setPlan(plan)).toThrow(/fault plan rule 0/);
  });
});

describe('fault proxy in front of Swift', () => {
  test('passes signed requests through untouched, multipart included, and counts them', async () => {
    const s3 = client();
    const body = randomBytes(200_000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain/one', Body: body }));
    expect((await getBytes(s3, 'plain/one')).equals(body)).toBe(true);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'plain/multi' }));
    const parts = [randomBytes(5 << 20), randomBytes(1000)];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const up = await s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'plain/multi', UploadId, PartNumber: i + 1, Body: part }),
      );
      etags.push(up.ETag!);
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'plain/multi',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'plain/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['plain/multi', 'plain/one']);
    // Signatures are still checked through the proxy.
    const forger = client({ credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: 'wrong' } });
    await expect(forger.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'plain/one' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });

    const stats = proxy.stats();
    expect(stats).toMatchObject({ requests: 8, forwarded: 8, faults: 0, upstreamErrors: 0 });
    expect(stats.byOperation).toEqual({
      PutObject: 1,
      GetObject: 1,
      CreateMultipartUpload: 1,
      UploadPart: 2,
      CompleteMultipartUpload: 1,
      ListObjectsV2: 1,
      HeadObject: 1,
    });
  });

  test('503, SlowDown and 500 reach the SDK (maxAttempts 1) as those errors, and never the server', async () => {
    proxy.setPlan([
      { on: 'PutObject', at: [1], inject: '503' },
      { on: 'PutObject', at: [2], inject: 'slowdown' },
      { on: 'PutObject', at: [3], inject: '500' },
    ]);
    const s3 = client();
    const put = (key: string) =>
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: randomBytes(1 << 20) }));
    await expect(put('codes/1')).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503 },
    });
    await expect(put('codes/2')).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    await expect(put('codes/3')).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    await put('codes/4');

    const listed = await client({ direct: true }).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'codes/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['codes/4']);
    const stats = proxy.stats();
    expect(stats).toMatchObject({ requests: 4, forwarded: 1, faults: 3 });
    expect(stats.byFault).toMatchObject({ '503': 1, slowdown: 1, '500': 1, 'drop-mid-body': 0 });
    expect(stats.events.map((e) => e.fault)).toEqual(['503', 'slowdown', '500', undefined]);
  });

  test('every / times / path pick exactly the planned requests', async () => {
    const direct = client({ direct: true });
    await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'pick/photos/a', Body: 'a' }));
    await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'pick/index/a', Body: 'i' }));
    proxy.setPlan([
      { on: 'HeadObject', path: '/photos/', every: 2, times: 2, inject: '503' },
      { on: 'HEAD', path: /\/index\//, first: 1, inject: 'slowdown' },
    ]);
    const s3 = client();
    const outcomes: string[] = [];
    for (const key of ['photos/a', 'photos/a', 'index/a', 'photos/a', 'index/a', 'photos/a', 'photos/a', 'photos/a']) {
      outcomes.push(
        await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `pick/${key}` })).then(
          () => 'ok',
          (e: { $metadata?: { httpStatusCode?: number } }) => String(e.$metadata?.httpStatusCode),
        ),
      );
    }
    // photos: the 2nd and 4th HEADs fail, then the cap of 2 is reached; index: only the first.
    expect(outcomes).toEqual(['ok', '503', '503', 'ok', 'ok', '503', 'ok', 'ok']);
    expect(proxy.stats().byFault).toMatchObject({ '503': 2, slowdown: 1 });
  });

  test('a connection dropped halfway through an upload part surfaces as a socket error', async () => {
    const direct = client({ direct: true });
    const { UploadId } = await direct.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'drop/part' }));
    proxy.setPlan([{ on: 'UploadPart', first: 1, inject: 'drop-mid-body' }]);
    const error = await client()
      .send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: 'drop/part',
          UploadId,
          PartNumber: 1,
          Body: randomBytes(5 << 20),
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; $metadata?: { httpStatusCode?: number } },
      );
    expect(['ECONNRESET', 'EPIPE']).toContain(error?.code);
    expect(error?.$metadata?.httpStatusCode).toBeUndefined();
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0, faults: 1 });
    // Nothing of the part reached the server.
    const parts = await direct.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'drop/part', UploadId }));
    expect(parts.Parts ?? []).toEqual([]);
    await direct.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'drop/part', UploadId }));
  });

  test('a download cut halfway surfaces as an error while reading the body', async () => {
    const body = randomBytes(1 << 20);
    await client({ direct: true }).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'drop/download', Body: body }));
    proxy.setPlan([{ on: 'GetObject', first: 1, inject: 'drop-mid-response' }]);
    const s3 = client();
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'drop/download' }));
    expect(got.ContentLength).toBe(body.length);
    await expect(got.Body!.transformToByteArray()).rejects.toThrow();
    expect((await getBytes(s3, 'drop/download')).equals(body)).toBe(true); // the next one is not cut
    expect(proxy.stats()).toMatchObject({ requests: 2, forwarded: 2, faults: 1 });
  });

  test("with the SDK's own retries (maxAttempts 5) the same operations succeed", async () => {
    proxy.setPlan([
      { on: 'PutObject', at: [1], inject: '503' },
      { on: 'PutObject', at: [2], inject: 'slowdown' },
      { on: 'PutObject', at: [3], inject: 'drop-mid-body' },
      { on: 'CreateMultipartUpload', first: 1, inject: '500' },
      { on: 'UploadPart', at: [2], inject: 'drop-mid-body' },
      { on: 'UploadPart', at: [4], inject: 'slowdown' },
      { on: 'CompleteMultipartUpload', first: 1, inject: '503' },
      { on: 'GetObject', at: [1], inject: '503' },
      { on: 'ListObjectsV2', first: 1, inject: 'slowdown' },
    ]);
    const s3 = client({ maxAttempts: 5 });
    const small = randomBytes(2 << 20);
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'retry/small', Body: small }));
    expect(put.$metadata.attempts).toBe(4);

    const parts = [randomBytes(5 << 20), randomBytes(5 << 20), randomBytes(5 << 20)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'retry/large' }));
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const up = await s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'retry/large', UploadId, PartNumber: i + 1, Body: part }),
      );
      etags.push(up.ETag!);
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'retry/large',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(sha256(await getBytes(s3, 'retry/small'))).toBe(sha256(small));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'retry/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['retry/large', 15 << 20],
      ['retry/small', small.length],
    ]);

    const stats = proxy.stats();
    expect(stats.faults).toBe(9);
    expect(stats.byFault).toEqual({ '500': 1, '503': 3, slowdown: 3, 'drop-mid-body': 2, 'drop-mid-response': 0 });
    // Straight from Swift, not through the proxy: every byte landed.
    const direct = client({ direct: true });
    expect(sha256(await getBytes(direct, 'retry/large'))).toBe(sha256(Buffer.concat(parts)));
    expect(sha256(await getBytes(direct, 'retry/small'))).toBe(sha256(small));
  });
});
