import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect as tcpConnect } from 'node:net';
import { chunked, collect } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB } from './part-size.js';
import { S3Destination } from './s3-destination.js';
import { type FauxqsServer, startFauxqsServer, TEST_CREDENTIALS } from './test-helpers/fauxqs-server.js';
import { recordCommands } from './test-helpers/record-commands.js';

// fauxqs takes request bodies of at most 11 MiB, as a server or a proxy with a body limit would: an object
// between that and the 24 MiB single-PUT size is refused in one PUT (HTTP 413) and must still get through.

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let server: FauxqsServer;
beforeAll(async () => {
  server = await startFauxqsServer();
});
afterAll(() => server?.stop());

describe('single PUTs', () => {
  it('sends an object refused in one PUT (413) in parts, and the next ones of that size in parts at once', async () => {
    const bucket = await server.createBucket();
    const destination = new S3Destination({ settings: server.settings(bucket, {}), credentials: TEST_CREDENTIALS });
    const sent = recordCommands(destination);
    const first = randomBytes(12 * MIB + 3);
    expect(await destination.write('a.mov', chunked(first, 1_000_003), { size: first.length })).toMatchObject({
      key: 'a.mov',
      size: first.length,
      sha256: sha256(first),
    });
    expect(sent).toEqual(expect.arrayContaining(['PutObjectCommand', 'CreateMultipartUploadCommand']));
    expect(sha256(await collect(await destination.read('a.mov')))).toBe(sha256(first));

    sent.length = 0;
    const second = randomBytes(13 * MIB);
    await destination.write('b.mov', chunked(second, 1_000_003), { size: second.length });
    expect(sent).not.toContain('PutObjectCommand'); // learnt: no 13 MiB sent in vain
    expect(sent).toContain('CompleteMultipartUploadCommand');
    expect(sha256(await collect(await destination.read('b.mov')))).toBe(sha256(second));

    const small = randomBytes(2 * MIB);
    sent.length = 0;
    await destination.write('c.jpg', chunked(small, 65_536), { size: small.length });
    expect(sent).toContain('PutObjectCommand'); // smaller objects still go in one PUT
    expect(sent).not.toContain('CreateMultipartUploadCommand');
  });

  it('still refuses to overwrite an existing object of a size sent in parts', async () => {
    const bucket = await server.createBucket();
    const destination = new S3Destination({ settings: server.settings(bucket, {}), credentials: TEST_CREDENTIALS });
    const data = randomBytes(12 * MIB);
    await destination.write('x.mov', chunked(data, 1_000_003), { size: data.length });
    const other = randomBytes(12 * MIB);
    await expect(destination.write('x.mov', chunked(other, 1_000_003), { size: other.length })).rejects.toMatchObject({
      code: 'LIFEBOAT_ALREADY_EXISTS',
    });
    expect(sha256(await collect(await destination.read('x.mov')))).toBe(sha256(data));
  });

  it('sends photo-sized bodies over kept-alive connections, not a new connection per photo', async () => {
    // A TCP relay before fauxqs that notes the first request of every connection the destination opens.
    const firstRequests: string[] = [];
    const target = new URL(server.endpoint);
    const relay = createServer((inbound) => {
      inbound.once('data', (head: Buffer) => firstRequests.push(head.toString('latin1').split('\r\n', 1)[0]!));
      const outbound = tcpConnect(Number(target.port), target.hostname);
      inbound.pipe(outbound).pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close).on('close', close);
      outbound.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const bucket = await server.createBucket();
      const { port } = relay.address() as { port: number };
      const endpoint = `http://127.0.0.1:${port}`;
      const destination = new S3Destination({
        settings: server.settings(bucket, { endpoint }),
        credentials: TEST_CREDENTIALS,
      });
      const photos = Array.from({ length: 6 }, () => randomBytes(3 * MIB)); // over the SDK's 2 MiB Expect threshold
      for (const [i, photo] of photos.entries()) {
        await destination.write(`IMG_${i}.JPG`, chunked(photo, 1 << 20), { size: photo.length });
      }
      const opened = firstRequests.filter((line) => /^PUT \S+\/IMG_/.test(line));
      for (const [i, photo] of photos.entries()) {
        expect(sha256(await collect(await destination.read(`IMG_${i}.JPG`)))).toBe(sha256(photo));
      }
      await destination.close();
      // The upload client opens one connection for its first PUT and keeps it (fauxqs itself closes after each
      // HEAD answered 404, so only PUTs are counted). With the SDK's default, each of the six took its own.
      expect(opened.length).toBeLessThanOrEqual(1);
    } finally {
      relay.close();
    }
  });
});
