import { randomUUID } from 'node:crypto';
import { runDestinationSuite } from '@lifeboat/core/testing';
import { S3Destination, s3Settings } from '@lifeboat/plugin-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSwiftAvailable, type SwiftServer, startSwift } from '../../servers/swift.js';

// Core's conformance kit, and the credential errors fauxqs cannot show, against OpenStack Swift's s3api: a real
// object store that verifies signatures and Content-MD5, started from a temp folder for this file.

let swift: SwiftServer;
beforeAll(async () => {
  assertSwiftAvailable();
  swift = await startSwift();
}, 60_000);
afterAll(() => swift?.stop());

async function swiftDestination(extra: Record<string, unknown> = {}, secretAccessKey?: string) {
  const bucket = `conf-${randomUUID().slice(0, 18)}`;
  await swift.createBucket(bucket);
  const settings = s3Settings({ bucket, endpoint: swift.endpoint, forcePathStyle: true, ...extra });
  const credentials = { accessKeyId: swift.accessKeyId, secretAccessKey: secretAccessKey ?? swift.secretAccessKey };
  return { destination: new S3Destination({ settings, credentials }), bucket };
}

runDestinationSuite('S3Destination on Swift s3api', () => swiftDestination({ prefix: 'backup' }), {
  largeObjectBytes: 25 * 1024 * 1024 + 123,
});

describe('destination add checks against Swift', () => {
  it('tells bad credentials from a missing bucket', async () => {
    const { destination } = await swiftDestination({}, 'not-the-secret');
    await expect(destination.prepare()).rejects.toMatchObject({
      code: 'LIFEBOAT_S3_CREDENTIALS',
      hint: expect.stringContaining('--secret secretAccessKey'),
    });
  });

  it('refuses Object Lock, which Swift does not have', async () => {
    const { destination } = await swiftDestination({ objectLockMode: 'GOVERNANCE', objectLockDays: 1 });
    await expect(destination.prepare()).rejects.toMatchObject({ code: 'LIFEBOAT_S3_NO_OBJECT_LOCK' });
  });
});
