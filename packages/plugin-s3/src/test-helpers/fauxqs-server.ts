import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
// fauxqs is a devDependency of the tests only: an in-process S3 server (no signatures checked, objects in memory).
import { startFauxqs } from 'fauxqs';
import type { S3Credentials } from '../client.js';
import { type S3Settings, s3Settings } from '../settings.js';

export const TEST_CREDENTIALS: S3Credentials = { accessKeyId: 'test-key-id', secretAccessKey: 'test-secret-key' };

export interface FauxqsServer {
  endpoint: string;
  /** A new, empty bucket with a unique name. */
  createBucket(): Promise<string>;
  /** Settings for a destination in `bucket` on this server. */
  settings(bucket: string, extra?: Record<string, unknown>): S3Settings;
  /** A plain SDK client, to look at the bucket behind the destination's back. */
  client: S3Client;
  stop(): Promise<void>;
}

export async function startFauxqsServer(): Promise<FauxqsServer> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async createBucket() {
      const bucket = `lifeboat-${randomUUID()}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    settings: (bucket, extra = {}) => s3Settings({ bucket, endpoint, forcePathStyle: true, ...extra }),
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}
