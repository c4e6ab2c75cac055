import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { chunked } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Destination } from './s3-destination.js';
import { type FauxqsServer, startFauxqsServer, TEST_CREDENTIALS } from './test-helpers/fauxqs-server.js';
import { recordCommands } from './test-helpers/record-commands.js';

// prepare() is the connection test of `destination add`: each bad setting gets its own clear error, and
// nothing is written unless every check before the probe passed.

let server: FauxqsServer;
beforeAll(async () => {
  server = await startFauxqsServer();
});
afterAll(() => server?.stop());

const destination = (settings: Record<string, unknown>) =>
  new S3Destination({ settings: server.settings(String(settings.bucket), settings), credentials: TEST_CREDENTIALS });

async function objectsIn(bucket: string): Promise<string[]> {
  const page = await server.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => o.Key ?? '');
}

describe('prepare', () => {
  it('writes, reads back and deletes a probe under <prefix>.lifeboat/, leaving the bucket as it was', async () => {
    const bucket = await server.createBucket();
    const dest = destination({ bucket, prefix: 'photos' });
    const sent = recordCommands(dest);
    await dest.prepare();
    expect(sent.slice(0, 2)).toEqual(['HeadBucketCommand', 'PutObjectCommand']);
    expect(sent).toContain('GetObjectCommand');
    expect(sent).toContain('DeleteObjectCommand');
    expect(await objectsIn(bucket)).toEqual([]);
  });

  it('learns that fauxqs ignores If-None-Match, so writes look before they leap', async () => {
    const bucket = await server.createBucket();
    const dest = destination({ bucket });
    await dest.prepare();
    const sent = recordCommands(dest);
    await dest.write('a.jpg', chunked(Buffer.from('x')), { size: 1 });
    expect(sent).toEqual(['HeadObjectCommand', 'HeadBucketCommand', 'PutObjectCommand']);
  });

  it('names a bucket that does not exist', async () => {
    const dest = destination({ bucket: 'no-such-bucket-here' });
    await expect(dest.prepare()).rejects.toMatchObject({
      code: 'LIFEBOAT_DEST_UNAVAILABLE',
      message: expect.stringContaining('The bucket "no-such-bucket-here" does not exist'),
    });
  });

  it('refuses Object Lock on a bucket without it, before writing anything', async () => {
    const bucket = await server.createBucket();
    const dest = destination({ bucket, objectLockMode: 'GOVERNANCE', objectLockDays: 30 });
    const sent = recordCommands(dest);
    await expect(dest.prepare()).rejects.toMatchObject({
      code: 'LIFEBOAT_S3_NO_OBJECT_LOCK',
      message: expect.stringContaining(`"${bucket}"`),
      hint: expect.stringContaining('Object Lock enabled'),
    });
    expect(sent).not.toContain('PutObjectCommand');
    expect(await objectsIn(bucket)).toEqual([]);
  });

  it('says the endpoint is unreachable when nothing listens there', async () => {
    const dest = new S3Destination({
      settings: server.settings('any-bucket', { endpoint: 'http://127.0.0.1:1' }),
      credentials: TEST_CREDENTIALS,
    });
    await expect(dest.prepare()).rejects.toMatchObject({
      code: 'LIFEBOAT_DEST_UNAVAILABLE',
      message: expect.stringContaining('endpoint unreachable'),
    });
  });
});
