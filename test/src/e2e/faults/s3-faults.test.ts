import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../servers/fault-proxy.js';
import { hashTree } from '../cli.js';
import { type S3Server, SECRETS_INPUT, secretsEnv, startS3Server } from '../s3/s3-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// What ../s3/faults.test.ts leaves out: S3 faults that do not go away, which must end in a clear report (never a
// silent loss) and be caught up by the next run; and faults while `verify` reads copies back, which are retried
// rather than reported as damage. fauxqs behind the fault proxy.

const PREFIX = 'p/';
const PLAN = 'both';
const PHOTO = /\.jpe?g$/i;

interface Report {
  ok: boolean;
  failures: Array<{ code: string; message: string; destination?: string; fileName?: string }>;
  destinations: Array<{ name: string; filesCopied: number }>;
}

describe('S3 faults that persist during a run, and faults during verify', () => {
  let s3: S3Server;
  let proxy: FaultProxy;
  let world: BackupWorld;
  let bucket: string;
  const env = secretsEnv();

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    proxy = await startFaultProxy({ target: s3.endpoint, plan: [] });
    world = await createBackupWorld({ count: 4, seed: 7070 }, ['drive-a']);
    const add = await world.cli(
      [
        ...['destination', 'add', 's3', 'offsite'],
        ...['--set', `bucket=${bucket}`, '--set', `endpoint=${proxy.endpoint}`, '--set', `prefix=${PREFIX}`],
        ...['--set', 'forcePathStyle=true', '--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
      ],
      { input: SECRETS_INPUT, env },
    );
    if (add.code !== 0) throw new Error(add.describe());
    const plan = await world.cli(
      ['plan', 'add', PLAN, '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite'],
      { env },
    );
    if (plan.code !== 0) throw new Error(plan.describe());
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await world?.cleanup();
    await s3?.stop();
  });

  it('a bucket answering 503 to every upload: each file reported after its retries; the next run copies them', async () => {
    proxy.setPlan([{ on: 'PutObject', path: PHOTO, every: 1, inject: '503' }]);
    proxy.resetStats();
    const failing = await world.cli(['run', PLAN, '--json'], { env, timeoutMs: 120_000 });
    expect(failing.code, failing.describe()).toBe(1);
    const report = failing.json<Report>();
    expect(report.destinations.find((d) => d.name === 'drive-a')?.filesCopied).toBe(4);
    expect(report.destinations.find((d) => d.name === 'offsite')?.filesCopied).toBe(0);
    const offsite = report.failures.filter((f) => f.destination === 'offsite');
    expect(offsite.map((f) => f.fileName).sort()).toEqual(world.manifest.map((e) => e.fileName).sort());
    for (const f of offsite) expect(f.message).toMatch(/503|unavailable/i);
    // Retried before giving up: more upload attempts than files.
    expect(proxy.stats().byFault['503']).toBeGreaterThan(4);
    expect(await s3.hashes(bucket, PREFIX)).toEqual(new Map()); // nothing partial in the bucket

    proxy.setPlan([]);
    const next = await world.cli(['run', PLAN, '--json'], { env });
    expect(next.code, next.describe()).toBe(0);
    expect(next.json<Report>().destinations.find((d) => d.name === 'offsite')?.filesCopied).toBe(4);
    expect(await s3.hashes(bucket, PREFIX)).toEqual(await hashTree(world.drives[0]!.path));
  });

  it('verify retries a 503 and a connection dropped mid-download, and finds every copy healthy', async () => {
    proxy.setPlan([
      { on: 'GetObject', path: PHOTO, at: [1], inject: '503' },
      { on: 'GetObject', path: PHOTO, at: [3], inject: 'drop-mid-response' },
    ]);
    proxy.resetStats();
    const verify = await world.cli(['verify', 'offsite', '--all', '--json'], { env });
    expect(verify.code, verify.describe()).toBe(0);
    expect(verify.json<{ destinations: Array<{ healthy: number }> }>().destinations[0]!.healthy).toBe(4);
    expect(proxy.stats().byFault).toMatchObject({ '503': 1, 'drop-mid-response': 1 });
  });

  it('verify of a bucket that keeps failing reads reports the copies as unreadable, not damaged, and exits 1', async () => {
    proxy.setPlan([{ on: 'GetObject', path: PHOTO, every: 1, inject: '500' }]);
    const verify = await world.cli(['verify', 'offsite', '--all', '--json'], { env, timeoutMs: 120_000 });
    expect(verify.code, verify.describe()).toBe(1);
    const problems = verify.json<{ destinations: Array<{ problems: Array<{ kind: string }> }> }>().destinations[0]!
      .problems;
    expect(problems.map((p) => p.kind)).toEqual(['unreadable', 'unreadable', 'unreadable', 'unreadable']);
    proxy.setPlan([]);
  });
});
