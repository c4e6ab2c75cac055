import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, type FaultProxyStats, type FaultRule, startFaultProxy } from '../../servers/fault-proxy.js';
import { assertSwiftAvailable, type SwiftServer, startSwift } from '../../servers/swift.js';
import { type CliResult, hashTree, multisetDiff } from '../cli.js';
import { type BackupWorld, createBackupWorld, type RunReport, totalSize } from '../world.js';
import { secretsEnv, sha256Object } from './s3-world.js';

// A backup to a disk drive and an S3 bucket (OpenStack Swift, which verifies signatures) through a proxy that
// injects 503s, SlowDown, a 500 and a connection dropped halfway through an upload part. The run must absorb
// every fault by retrying, and every object in the bucket must hold the bytes of its source file.

const MIB = 1024 * 1024;
const COUNT = 16;
/** Above the S3 plugin's 24 MiB single-PUT limit: 4 parts each (8 MiB parts); smaller files go up in one PUT. */
const BIG = [26 * MIB + 4_321, 25 * MIB + 77];
const PREFIX = 'lifeboat/photos/';
const BUCKET = 'faults-e2e';

/** Few faults, so core's backoff (500 ms base) keeps the run short. Each rule fires a fixed number of times. */
/** Photo keys only, so the faults hit data writes rather than core's probe and marker. */
const PHOTO = /\.jpe?g$/i;
const PLAN: FaultRule[] = [
  { on: 'PutObject', path: PHOTO, first: 2, inject: '503' },
  { on: 'UploadPart', at: [2], inject: 'slowdown' },
  { on: 'UploadPart', at: [4], inject: 'drop-mid-body' },
  { on: 'HeadObject', path: PHOTO, at: [1], inject: '500' },
];

describe('backing up to S3 through a proxy that injects 503s, SlowDown, a 500 and a dropped upload part', () => {
  let swift: SwiftServer;
  let proxy: FaultProxy;
  let direct: S3Client;
  let world: BackupWorld;
  let run: CliResult;
  let stats: FaultProxyStats;
  let cloud: Map<string, string>; // key under the prefix -> sha256, read from Swift directly
  let disk: Map<string, string>;
  const env = secretsEnv();

  /** Every copy under `prefix`, bookkeeping and sidecars excluded, listed against Swift (not the proxy). */
  async function cloudHashes(): Promise<Map<string, string>> {
    const tree = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await direct.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of page.Contents ?? []) {
        const rel = o.Key!.slice(PREFIX.length);
        // The photos: sidecars beside them are compared by the sidecar suites.
        if (!rel.startsWith('.lifeboat/') && !rel.endsWith('.xmp'))
          tree.set(rel, await sha256Object(direct, BUCKET, o.Key!));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return tree;
  }

  beforeAll(async () => {
    assertSwiftAvailable();
    swift = await startSwift();
    await swift.createBucket(BUCKET);
    direct = new S3Client(swift.clientConfig());
    proxy = await startFaultProxy({ target: swift.endpoint, plan: [] });
    world = await createBackupWorld(
      { count: COUNT, seed: 73, duplicateNames: 0, sizes: (i, rng) => BIG[i] ?? rng.int(8_000, 48_000) },
      ['drive-a'],
    );
    const add = await world.cli(
      [
        ...['destination', 'add', 's3', 'offsite-faults'],
        ...['--set', `bucket=${BUCKET}`, '--set', `endpoint=${proxy.endpoint}`, '--set', `prefix=${PREFIX}`],
        ...['--set', 'forcePathStyle=true', '--set', 'checksumMode=when_required'],
        ...['--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
      ],
      { input: `${swift.accessKeyId}\n${swift.secretAccessKey}\n`, env },
    );
    if (add.code !== 0) throw new Error(add.describe());
    const plan = await world.cli(
      ['plan', 'add', 'both', '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite-faults'],
      { env },
    );
    if (plan.code !== 0) throw new Error(plan.describe());
    // Faults only from here on: `destination add` saw a healthy server.
    proxy.setPlan(PLAN);
    proxy.resetStats();
    run = await world.cli(['run', 'both', '--json'], { env, timeoutMs: 120_000 });
    stats = proxy.stats();
    disk = await hashTree(world.drives[0]!.path);
    cloud = await cloudHashes();
  }, 180_000);
  afterAll(async () => {
    direct?.destroy();
    await proxy?.stop();
    await world?.cleanup();
    await swift?.stop();
  });

  it('injected every planned fault (the run really met them)', () => {
    const injected = stats.events.filter((e) => e.fault !== undefined).map((e) => `${e.operation}:${e.fault}`);
    expect(injected.sort(), JSON.stringify(stats.byOperation)).toEqual(
      ['PutObject:503', 'PutObject:503', 'UploadPart:slowdown', 'UploadPart:drop-mid-body', 'HeadObject:500'].sort(),
    );
    expect(stats.byFault).toMatchObject({ '503': 2, slowdown: 1, 'drop-mid-body': 1, '500': 1 });
    expect(stats.upstreamErrors).toBe(0);
  });

  it('completes the run with every file copied to both destinations and no failures', () => {
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    const bytes = totalSize(world.manifest);
    expect(report, run.describe()).toMatchObject({ ok: true, filesCopied: COUNT, bytesCopied: bytes, failures: [] });
    expect(report.destinations.find((d) => d.name === 'offsite-faults')).toMatchObject({
      filesCopied: COUNT,
      bytesCopied: bytes,
    });
  });

  it('holds byte-identical objects in the bucket (read from Swift directly), under the drive layout', () => {
    const { missing, extra } = multisetDiff(
      world.manifest.map((e) => e.sha256),
      cloud.values(),
    );
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(cloud).toEqual(disk);
  });

  it('leaves no incomplete multipart upload behind', async () => {
    const uploads = await direct.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });
});
