import { runDestinationSuite } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll } from 'vitest';
import { S3Destination } from './s3-destination.js';
import { type FauxqsServer, startFauxqsServer, TEST_CREDENTIALS } from './test-helpers/fauxqs-server.js';

// Core's conformance kit against fauxqs, an S3 server started in this process; a new bucket for every check.
// fauxqs ignores If-None-Match, so these runs also prove the fallback (look, then write, under the key lock).

let server: FauxqsServer;
beforeAll(async () => {
  server = await startFauxqsServer();
});
afterAll(() => server?.stop());

const destinationIn = async (extra: Record<string, unknown>, tuning = {}) => {
  const bucket = await server.createBucket();
  const at = (endpoint?: string) =>
    new S3Destination({
      settings: server.settings(bucket, { ...extra, ...(endpoint ? { endpoint } : {}) }),
      credentials: TEST_CREDENTIALS,
      tuning,
    });
  // http: the same bucket behind the kit's proxies (one drops Range headers, as some servers and proxies do).
  return { destination: at(), http: { endpoint: server.endpoint, at } };
};

// The defaults for an endpoint: when_required checksums; 25 MiB objects go up as 4 parts of 8 MiB (from 24 MiB,
// objects go up in parts; below, in one PUT).
runDestinationSuite('S3Destination on fauxqs', () => destinationIn({ prefix: 'backups/photos' }), {
  largeObjectBytes: 25 * 1024 * 1024 + 123,
  // A server that accepts connections and never answers: every call gives up once the socket is silent for 2 s
  // (120 s in real use), and core is told it may retry.
  unresponsive: {
    create: (endpoint) =>
      new S3Destination({
        settings: server.settings('silent', { endpoint }),
        credentials: TEST_CREDENTIALS,
        timeouts: { socketMs: 2_000 },
      }),
    deadlineMs: 20_000,
  },
});

// AWS's checksum mode (the SDK's flexible checksums, our sha256 on single PUTs), at the bucket root.
runDestinationSuite('S3Destination on fauxqs, checksumMode when_supported', () =>
  destinationIn({ checksumMode: 'when_supported' }),
);
