import { createHash, randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { chunked, collect, failingMidway, pausedBody } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB } from './part-size.js';
import { S3Destination } from './s3-destination.js';
import { type FauxqsServer, startFauxqsServer, TEST_CREDENTIALS } from './test-helpers/fauxqs-server.js';
import { recordCommands } from './test-helpers/record-commands.js';

// The conformance kit's atomicity checks use 200 KB bodies, which go up in one PUT; these prove the same
// guarantees for multipart uploads: 11 MiB bodies in 5 MiB parts (S3's smallest), against fauxqs.

const SIZE = 11 * MIB + 5;
const KEY = 'videos/2020/clip.mov';
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let server: FauxqsServer;
beforeAll(async () => {
  server = await startFauxqsServer();
});
afterAll(() => server?.stop());

async function fresh(extra: Record<string, unknown> = {}) {
  const bucket = await server.createBucket();
  const destination = new S3Destination({
    settings: server.settings(bucket, { prefix: 'mp', ...extra }),
    credentials: TEST_CREDENTIALS,
    tuning: { minPartSize: 5 * MIB, queueSize: 1 }, // multipart from 10 MiB: SIZE goes up as 3 parts
  });
  return { destination, sent: recordCommands(destination), bucket };
}

async function expectNothing(destination: S3Destination) {
  expect(await destination.stat(KEY)).toBeUndefined();
  const listed = [];
  for await (const o of destination.list()) listed.push(o.key);
  expect(listed).toEqual([]);
}

/** Every multipart upload that was started was also aborted (fauxqs cannot list uploads, so count commands). */
function expectAbortedUpload(sent: string[]) {
  expect(sent).toContain('CreateMultipartUploadCommand');
  expect(sent).toContain('AbortMultipartUploadCommand');
  expect(sent).not.toContain('CompleteMultipartUploadCommand');
}

describe('multipart uploads', () => {
  it('uploads a large body in parts, with its sha256 as metadata when known up front', async () => {
    const { destination, sent } = await fresh();
    const data = randomBytes(SIZE);
    const info = await destination.write(KEY, chunked(data, 1_000_003), { size: SIZE, sha256: sha256(data) });
    expect(info).toMatchObject({ key: KEY, size: SIZE, sha256: sha256(data) });
    expect(sent.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(sent).toContain('CompleteMultipartUploadCommand');
    expect(await destination.stat(KEY)).toMatchObject({ key: KEY, size: SIZE, sha256: sha256(data) });
    expect(sha256(await collect(await destination.read(KEY)))).toBe(sha256(data));
  });

  it('uploads with the SDK checksums of checksumMode when_supported (CRC32 per part)', async () => {
    const { destination, sent } = await fresh({ checksumMode: 'when_supported' });
    const data = randomBytes(SIZE);
    await destination.write(KEY, chunked(data), { size: SIZE });
    expect(sent).toContain('CompleteMultipartUploadCommand');
    expect(sha256(await collect(await destination.read(KEY)))).toBe(sha256(data));
  });

  it('sends no request at all when the body fails before its first part is full', async () => {
    const { destination, sent } = await fresh();
    await destination.prepare(); // its probe object is not what this is about
    sent.length = 0;
    const failure = new Error('early failure');
    await expect(destination.write(KEY, failingMidway(randomBytes(SIZE), MIB, failure), { size: SIZE })).rejects.toBe(
      failure,
    );
    expect(sent.filter((c) => c !== 'HeadObjectCommand' && c !== 'HeadBucketCommand')).toEqual([]);
  });

  it('computes the sha256 while streaming when it is not known up front (stat then has none)', async () => {
    const { destination } = await fresh();
    const data = randomBytes(SIZE);
    const info = await destination.write(KEY, chunked(data), { size: SIZE });
    expect(info.sha256).toBe(sha256(data));
    const stat = await destination.stat(KEY);
    expect(stat?.size).toBe(SIZE);
    expect(stat?.sha256).toBeUndefined();
  });

  it.each([
    ['a short body', { size: SIZE + 1 }, 'LIFEBOAT_INTEGRITY'],
    ['a long body', { size: SIZE - 1 }, 'LIFEBOAT_INTEGRITY'],
    ['a wrong sha256', { size: SIZE, sha256: 'ab'.repeat(32) }, 'LIFEBOAT_INTEGRITY'],
  ])('rejects %s, aborts the upload and leaves nothing visible', async (_, options, code) => {
    const { destination, sent } = await fresh();
    const data = randomBytes(SIZE);
    await expect(destination.write(KEY, chunked(data), options)).rejects.toMatchObject({ code });
    expectAbortedUpload(sent);
    await expectNothing(destination);
  });

  it("rejects with the body's own error when it throws after some parts went up", async () => {
    const { destination, sent } = await fresh();
    const failure = new Error('the source vanished');
    const body = failingMidway(randomBytes(SIZE), 10 * MIB, failure);
    await expect(destination.write(KEY, body, { size: SIZE })).rejects.toBe(failure);
    expectAbortedUpload(sent);
    await expectNothing(destination);
  });

  it('stops on an abort even while the body is stalled, leaving nothing visible', async () => {
    const { destination, sent } = await fresh();
    const data = randomBytes(SIZE);
    const { body, paused } = pausedBody(data, 10 * MIB); // never released
    const controller = new AbortController();
    const writing = destination.write(KEY, body, { size: SIZE, signal: controller.signal });
    await paused;
    controller.abort();
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expectAbortedUpload(sent);
    await expectNothing(destination);
  });

  it('keeps the object invisible while its parts upload', async () => {
    const { destination, sent } = await fresh();
    const data = randomBytes(SIZE);
    const { body, paused, release } = pausedBody(data, 10 * MIB + 1);
    const writing = destination.write(KEY, body, { size: SIZE });
    await paused;
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the first parts reach the server
    expect(sent).toContain('UploadPartCommand');
    await expectNothing(destination);
    release();
    await writing;
    expect(await destination.stat(KEY)).toMatchObject({ size: SIZE });
  });

  it('refuses an existing key before uploading anything', async () => {
    const { destination, sent } = await fresh();
    await destination.write(KEY, chunked(Buffer.from('old')), { size: 3 });
    sent.length = 0;
    const data = randomBytes(SIZE);
    await expect(destination.write(KEY, chunked(data), { size: SIZE })).rejects.toMatchObject({
      code: 'LIFEBOAT_ALREADY_EXISTS',
    });
    expect(sent).not.toContain('CreateMultipartUploadCommand');
  });

  it('looks again before completing, on servers that ignore If-None-Match: a key taken meanwhile wins', async () => {
    const { destination, sent, bucket } = await fresh();
    const data = randomBytes(SIZE);
    const { body, paused, release } = pausedBody(data, 10 * MIB + 1);
    const writing = destination.write(KEY, body, { size: SIZE });
    await paused;
    // Another process writes the same key while our parts upload.
    await server.client.send(new PutObjectCommand({ Bucket: bucket, Key: `mp/${KEY}`, Body: Buffer.from('theirs') }));
    release();
    await expect(writing).rejects.toMatchObject({ code: 'LIFEBOAT_ALREADY_EXISTS' });
    expectAbortedUpload(sent);
    expect((await collect(await destination.read(KEY))).toString()).toBe('theirs');
  });
});
