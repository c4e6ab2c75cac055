/**
 * The S3 side of the S3 e2e suites: fauxqs started in the test process (the CLI child talks to it over loopback),
 * buckets, the `destination add s3` command line, and reading a bucket back through the SDK to check what landed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

/** fauxqs checks no signatures: any keys do. They go in on stdin, one line each, as `--secret` reads them. */
export const ACCESS_KEY_ID = 'lifeboat-e2e-key-id';
export const SECRET_ACCESS_KEY = 'lifeboat-e2e-secret-key-do-not-log';
export const SECRETS_INPUT = `${ACCESS_KEY_ID}\n${SECRET_ACCESS_KEY}\n`;

export interface S3Server {
  endpoint: string;
  client: S3Client;
  createBucket(): Promise<string>;
  /** `--set` options for a destination in `bucket` on this server (plus `extra`), and the two `--secret`s. */
  destinationArgs(bucket: string, extra?: string[]): string[];
  /** Every object key in the bucket (under `prefix`), `.lifeboat/` bookkeeping included. */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  /** key (prefix removed) -> sha256 of the object's bytes as read back, bookkeeping (and sidecars, unless asked) excluded. */
  hashes(bucket: string, prefix?: string, options?: { includeSidecars?: boolean }): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

/** Starts fauxqs; `storageDir` keeps objects in files rather than in this process's memory (for big objects). */
export async function startS3Server(options: { storageDir?: string } = {}): Promise<S3Server> {
  const server = await startFauxqs({
    port: 0,
    host: '127.0.0.1',
    logger: false,
    ...(options.storageDir ? { s3StorageDir: options.storageDir } : {}),
  });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keys = async (bucket: string, prefix = '') => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of page.Contents ?? []) if (o.Key) found.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort();
  };
  return {
    endpoint,
    client,
    async createBucket() {
      const bucket = `e2e-${randomUUID()}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    destinationArgs: (bucket, extra = []) => [
      ...['--set', `bucket=${bucket}`, '--set', `endpoint=${endpoint}`, '--set', 'forcePathStyle=true'],
      ...extra.flatMap((setting) => ['--set', setting]),
      ...['--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
    ],
    keys,
    async hashes(bucket, prefix = '', options = {}) {
      const tree = new Map<string, string>();
      for (const key of await keys(bucket, prefix)) {
        const rel = key.slice(prefix.length);
        if (rel.startsWith('.lifeboat/') || (!options.includeSidecars && rel.endsWith('.xmp'))) continue;
        tree.set(rel, await sha256Object(client, bucket, key));
      }
      return tree;
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}

/** Streams an object through sha256 (never the whole object in memory). */
export async function sha256Object(client: S3Client, bucket: string, key: string): Promise<string> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of answer.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** A loopback port nothing listens on: bound by us, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * Secrets the way CI keeps them: inside scripts/test.sh the OS keychain is a throwaway Secret Service; a bare
 * `npx vitest run` has none, so there the encrypted vault file stands in (same --secret path through the CLI).
 */
export function secretsEnv(): Record<string, string> {
  return process.env.LIFEBOAT_TEST_KEYRING === 'hermetic'
    ? {}
    : { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'e2e-vault-passphrase' };
}
