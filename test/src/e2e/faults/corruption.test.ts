import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hashTree } from '../cli.js';
import { type S3Server, SECRETS_INPUT, secretsEnv, startS3Server } from '../s3/s3-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Bit rot on a drive and a copy lost from the bucket: `verify` must find both, `repair` must re-create each
// from the other destination's healthy copy (never touching a healthy one), and a second `verify` is clean.

const PREFIX = 'lifeboat/';
const PLAN = 'both';

interface Problem {
  kind: string;
  key: string;
}
interface VerifyJson {
  ok: boolean;
  destinations: Array<{ destination: string; ok: boolean; checked: number; healthy: number; problems: Problem[] }>;
}
interface RepairJson {
  ok: boolean;
  destinations: Array<{
    destination: string;
    repaired: Array<{ key: string; was: string; from: string }>;
    unexpected: string[];
  }>;
}

describe('a damaged copy on a drive and a lost one in the bucket, found by verify and fixed by repair', () => {
  let s3: S3Server;
  let world: BackupWorld;
  let bucket: string;
  let drive: string;
  let flipped: string;
  let deleted: string;
  let before: CliResult;
  let repairRun: CliResult;
  let after: CliResult;
  let sampled: CliResult;
  let healthyBytes: Map<string, string>;
  const env = secretsEnv();

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    world = await createBackupWorld({ count: 30, seed: 808 }, ['drive-a']);
    drive = world.drives[0]!.path;
    const add = await world.cli(
      ['destination', 'add', 's3', 'offsite', ...s3.destinationArgs(bucket, [`prefix=${PREFIX}`])],
      {
        input: SECRETS_INPUT,
        env,
      },
    );
    if (add.code !== 0) throw new Error(add.describe());
    const plan = await world.cli(
      ['plan', 'add', PLAN, '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite'],
      { env },
    );
    if (plan.code !== 0) throw new Error(plan.describe());
    const run = await world.cli(['run', PLAN, '--json'], { env });
    if (run.code !== 0) throw new Error(run.describe());

    healthyBytes = await hashTree(drive);
    const keys = [...healthyBytes.keys()];
    flipped = keys[3]!;
    deleted = keys[17]!;
    const bytes = await readFile(join(drive, flipped));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x5a; // one flipped byte, same size: only a read-back can see it
    await writeFile(join(drive, flipped), bytes);
    await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${PREFIX}${deleted}` }));

    before = await world.cli(['verify', PLAN, '--json'], { env });
    repairRun = await world.cli(['repair', PLAN, '--json'], { env, timeoutMs: 120_000 });
    after = await world.cli(['verify', PLAN], { env });
    sampled = await world.cli(['verify', 'offsite', '--sample', '10', '--json'], { env });
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
    await s3?.stop();
  });

  it('verify finds the flipped byte on the drive and the object missing from the bucket, and exits 1', () => {
    expect(before.code, before.describe()).toBe(1);
    const report = before.json<VerifyJson>();
    const problems = Object.fromEntries(report.destinations.map((d) => [d.destination, d.problems]));
    expect(problems['drive-a']).toEqual([expect.objectContaining({ kind: 'corrupt', key: flipped })]);
    expect(problems.offsite).toEqual([expect.objectContaining({ kind: 'missing', key: deleted })]);
    expect(report.destinations.map((d) => [d.destination, d.checked, d.healthy])).toEqual([
      ['drive-a', 30, 29],
      ['offsite', 29, 29],
    ]);
  });

  it('repair re-creates each copy from the other destination and exits 0', () => {
    expect(repairRun.code, repairRun.describe()).toBe(0);
    const report = repairRun.json<RepairJson>();
    const repaired = Object.fromEntries(report.destinations.map((d) => [d.destination, d.repaired]));
    expect(repaired['drive-a']).toEqual([
      expect.objectContaining({ key: flipped, was: 'corrupt', from: 'destination offsite' }),
    ]);
    expect(repaired.offsite).toEqual([
      expect.objectContaining({ key: deleted, was: 'missing', from: 'destination drive-a' }),
    ]);
  });

  it('leaves both destinations byte-identical to the original backup', async () => {
    expect(await hashTree(drive)).toEqual(healthyBytes);
    expect(await s3.hashes(bucket, PREFIX)).toEqual(healthyBytes);
  });

  it('a second verify is clean', () => {
    expect(after.code, after.describe()).toBe(0);
    expect(after.stderr).toContain('every copy checked is healthy');
    expect(after.stderr).toMatch(/drive-a: healthy: 30 copies/);
    expect(after.stderr).toMatch(/offsite: healthy: 30 copies/);
  });

  it('a 10% scrub reads 3 of the 30 copies, least recently verified first', () => {
    expect(sampled.code, sampled.describe()).toBe(0);
    const report = sampled.json<VerifyJson>();
    expect(report.destinations[0]).toMatchObject({ destination: 'offsite', ok: true, checked: 3, healthy: 3 });
  });

  it('repair falls back to the source when no destination has a healthy copy, and never writes over a healthy one', async () => {
    const victim = [...healthyBytes.keys()][9]!;
    await unlink(join(drive, victim));
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}${victim}`, Body: Buffer.from('not a photo') }),
    );
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}probe-marker`, Body: 'x' }));
    const result = await world.cli(['repair', PLAN, '--json'], { env, timeoutMs: 120_000 });
    expect(result.code, result.describe()).toBe(0);
    const report = result.json<RepairJson>();
    const byName = Object.fromEntries(report.destinations.map((d) => [d.destination, d]));
    expect(byName['drive-a']!.repaired).toEqual([expect.objectContaining({ key: victim, was: 'missing' })]);
    expect(byName.offsite!.repaired).toEqual([expect.objectContaining({ key: victim, was: 'corrupt' })]);
    // The drive goes first: the bucket's copy fails its sha256 check, so the source gives the bytes; then the
    // bucket's copy is re-created from the drive's fresh one.
    expect(byName['drive-a']!.repaired[0]!.from).toBe('source photos');
    expect(byName.offsite!.repaired[0]!.from).toBe('destination drive-a');
    expect(byName.offsite!.unexpected).toEqual(['probe-marker']); // reported, not deleted
    expect(await s3.keys(bucket, `${PREFIX}probe-marker`)).toEqual([`${PREFIX}probe-marker`]);
    expect(await hashTree(drive)).toEqual(healthyBytes);
    const cloud = await s3.hashes(bucket, PREFIX);
    cloud.delete('probe-marker');
    expect(cloud).toEqual(healthyBytes);
  });
});
