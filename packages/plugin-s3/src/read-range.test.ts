import { ErrorCode, errorCode } from '@lifeboat/plugin-api';
import { chunked, collect, randomBytes, startRangeIgnoringProxy } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Destination } from './s3-destination.js';
import { type FauxqsServer, startFauxqsServer, TEST_CREDENTIALS } from './test-helpers/fauxqs-server.js';

// fauxqs behind a proxy that drops Range headers: it answers a ranged GET with 200 and the whole object.
let server: FauxqsServer;
beforeAll(async () => {
  server = await startFauxqsServer();
});
afterAll(() => server?.stop());

describe('a ranged read from a server that ignores Range', () => {
  it('fails with a clear error instead of passing the whole object as the range', async () => {
    const bucket = await server.createBucket();
    const make = (endpoint: string) =>
      new S3Destination({ settings: server.settings(bucket, { endpoint }), credentials: TEST_CREDENTIALS });
    const data = randomBytes(5000);
    await make(server.endpoint).write('a.jpg', chunked(data), { size: data.length });
    const proxy = await startRangeIgnoringProxy(server.endpoint);
    try {
      const through = make(proxy.endpoint);
      const error = await through.read('a.jpg', { offset: 10, length: 20 }).then(collect, (e: unknown) => e);
      expect(errorCode(error), String(error)).toBe(ErrorCode.DestinationUnavailable);
      expect(String((error as Error).message)).toContain(
        'answered a read of bytes 10-29 of a.jpg without a Content-Range',
      );
      expect((error as { hint?: string }).hint).toContain('ignores HTTP Range');
      // Whole-object reads send no Range and still work through it.
      expect(Buffer.compare(await collect(await through.read('a.jpg')), data)).toBe(0);
      expect(proxy.rangesDropped()).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('reads the range when the server honours it', async () => {
    const bucket = await server.createBucket();
    const d = new S3Destination({ settings: server.settings(bucket), credentials: TEST_CREDENTIALS });
    const data = randomBytes(5000);
    await d.write('a.jpg', chunked(data), { size: data.length });
    expect(
      Buffer.compare(await collect(await d.read('a.jpg', { offset: 10, length: 20 })), data.subarray(10, 30)),
    ).toBe(0);
  });
});
