/**
 * The Swift s3api test server: it starts from nothing, speaks enough S3 for a backup destination (objects,
 * listings, multipart), checks signatures, shows the quirks clients must handle, and leaves nothing behind.
 * Needs the Debian packages (bash scripts/ensure-debs.sh): without them these tests fail, they never skip.
 */

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type SwiftServer, startSwift, swiftAvailable } from './swift.js';

// Lets a test hand startSwift a port that is already taken, as if another process grabbed it in the meantime.
const clash = vi.hoisted(() => ({ memcachedPort: 0 }));
vi.mock('./ports.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./ports.js')>();
  return {
    freePorts: async (count: number) => {
      const ports = await real.freePorts(count);
      if (clash.memcachedPort) ports[0] = clash.memcachedPort; // [memcached, account, container, object, proxy]
      clash.memcachedPort = 0;
      return ports;
    },
  };
});

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let swift: SwiftServer;
let s3: S3Client;

beforeAll(async () => {
  swift = await startSwift();
  s3 = new S3Client(swift.clientConfig({ maxAttempts: 1 }));
});

afterAll(async () => {
  s3?.destroy();
  await swift?.stop();
});

describe('Swift s3api test server', () => {
  test('is installed (otherwise run bash scripts/ensure-debs.sh)', () => {
    expect(swiftAvailable()).toBe(true);
  });

  test('answers on its endpoint with the fixed test credentials', () => {
    expect(swift.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(swift).toMatchObject({ region: 'us-east-1', accessKeyId: 'test:tester', secretAccessKey: 'testing' });
    expect(swift.processes.map((p) => p.name).sort()).toEqual(['account', 'container', 'memcached', 'object', 'proxy']);
    for (const { pid } of swift.processes) expect(alive(pid)).toBe(true);
  });

  test('PutObject, GetObject, ListObjectsV2 and DeleteObject round-trip', async () => {
    await swift.createBucket('round-trip');
    const body = randomBytes(300_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'round-trip',
        Key: 'DCIM/100CANON/IMG_0001.JPG',
        Body: body,
        Metadata: { sha256: sha256(body) },
      }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'round-trip', Key: 'DCIM/100CANON/IMG_0001.JPG' }));
    expect(got.Metadata).toEqual({ sha256: sha256(body) });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'round-trip', Prefix: 'DCIM/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['DCIM/100CANON/IMG_0001.JPG', body.length]]);

    await s3.send(new DeleteObjectCommand({ Bucket: 'round-trip', Key: 'DCIM/100CANON/IMG_0001.JPG' }));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'round-trip' }));
    expect(after.KeyCount).toBe(0);
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'round-trip', Key: 'DCIM/100CANON/IMG_0001.JPG' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });

  test('a multipart upload of 3 parts of 5 MiB completes', async () => {
    await swift.createBucket('multipart');
    const parts = [randomBytes(5 << 20), randomBytes(5 << 20), randomBytes(5 << 20)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multipart', Key: 'video.mov' }));
    const etags: string[] = [];
    for (const [index, part] of parts.entries()) {
      const uploaded = await s3.send(
        new UploadPartCommand({ Bucket: 'multipart', Key: 'video.mov', UploadId, PartNumber: index + 1, Body: part }),
      );
      expect(uploaded.ETag).toBe(`"${md5(part)}"`);
      etags.push(uploaded.ETag!);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multipart',
        Key: 'video.mov',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    // The S3 multipart ETag: md5 of the parts' binary md5s, dash, part count.
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
      .digest('hex');
    expect(done.ETag).toBe(`"${expected}-3"`);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'multipart', Key: 'video.mov' }));
    expect(head.ContentLength).toBe(15 << 20);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multipart', Key: 'video.mov' }));
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(Buffer.concat(parts)));
  });

  test('checks signatures: a wrong secret gets 403 SignatureDoesNotMatch', async () => {
    await swift.createBucket('signed');
    const forger = new S3Client(
      swift.clientConfig({ maxAttempts: 1, credentials: { accessKeyId: 'test:tester', secretAccessKey: 'wrong' } }),
    );
    try {
      await expect(forger.send(new ListObjectsV2Command({ Bucket: 'signed' }))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        forger.send(new PutObjectCommand({ Bucket: 'signed', Key: 'forged', Body: 'x' })),
      ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    } finally {
      forger.destroy();
    }
    // Quirk: an unknown access key is also SignatureDoesNotMatch here (AWS says InvalidAccessKeyId).
    const stranger = new S3Client(
      swift.clientConfig({ maxAttempts: 1, credentials: { accessKeyId: 'nobody:none', secretAccessKey: 'x' } }),
    );
    try {
      await expect(stranger.send(new ListObjectsV2Command({ Bucket: 'signed' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      stranger.destroy();
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'signed' }));
    expect(listed.KeyCount).toBe(0);
  });

  test('quirks clients must handle: aws-chunked uploads get 501, DeleteObjects wants Content-MD5', async () => {
    await swift.createBucket('quirks');
    // The SDK's default (WHEN_SUPPORTED) streams a body of unknown hash as aws-chunked with a trailing checksum.
    const defaults = new S3Client({
      ...swift.clientConfig({ maxAttempts: 1 }),
      requestChecksumCalculation: 'WHEN_SUPPORTED',
      responseChecksumValidation: 'WHEN_SUPPORTED',
      logger: quiet, // it warns on the console about the non-retryable stream
    });
    try {
      await expect(
        defaults.send(
          new PutObjectCommand({
            Bucket: 'quirks',
            Key: 'streamed',
            Body: Readable.from([randomBytes(1000)]),
            ContentLength: 1000,
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    } finally {
      defaults.destroy();
    }
    // WHEN_REQUIRED streams it plainly.
    await s3.send(
      new PutObjectCommand({
        Bucket: 'quirks',
        Key: 'streamed',
        Body: Readable.from([randomBytes(1000)]),
        ContentLength: 1000,
      }),
    );
    // DeleteObjects: the SDK sends a CRC32 where Swift wants Content-MD5.
    await expect(
      s3.send(new DeleteObjectsCommand({ Bucket: 'quirks', Delete: { Objects: [{ Key: 'streamed' }] } })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 }, message: expect.stringContaining('Content-MD5') });
  });

  test('startSwift fails fast with the log when a server dies at startup, and cleans up (stale folders too)', async () => {
    const parentDir = mkdtempSync(join(tmpdir(), 'lifeboat-swift-parent-'));
    // Left over by a test process that died without stop() (its pid is gone): startSwift removes it.
    const stale = join(parentDir, 'lifeboat-swift-stale');
    mkdirSync(join(stale, 'srv'), { recursive: true });
    writeFileSync(join(stale, 'owner.pid'), String(spawnSync('true').pid));
    try {
      const started = performance.now();
      const bad = { max_upload_part_num: 'not-a-number' };
      const error = await startSwift({ parentDir, startTimeoutMs: 60_000, s3api: bad }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/Swift failed to start: proxy exited/);
      expect(error?.message).toMatch(/not-a-number/); // the proxy's own complaint, from its log
      expect(performance.now() - started).toBeLessThan(30_000); // it did not wait for the 60 s timeout
      expect(readdirSync(parentDir)).toEqual([]);
    } finally {
      rmSync(parentDir, { recursive: true, force: true });
    }
  });

  test('startSwift retries on other ports when one was taken before a server could bind it', async () => {
    const squatter = createServer((socket) => socket.destroy()); // holds the port, answers nothing
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    clash.memcachedPort = taken;
    try {
      const other = await startSwift();
      try {
        const proxyConf = readFileSync(join(other.dir, 'etc', 'proxy-server.conf'), 'utf8');
        expect(proxyConf).toMatch(/memcache_servers = 127\.0\.0\.1:\d+/);
        expect(proxyConf).not.toContain(`127.0.0.1:${taken}`);
        await other.createBucket('after-retry');
      } finally {
        await other.stop();
      }
    } finally {
      clash.memcachedPort = 0;
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 90_000); // two starts, on a machine that may be busy

  // Last: it stops the shared server (afterAll's stop() is then a no-op, which is the idempotence check).
  test('stop() kills every process and removes the folder; a second stop() is harmless', async () => {
    const pids = swift.processes.map((p) => p.pid);
    expect(existsSync(swift.dir)).toBe(true);
    await Promise.all([swift.stop(), swift.stop()]);
    for (const pid of pids) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
    expect(existsSync(swift.dir)).toBe(false);
    await swift.stop();
  });
});
