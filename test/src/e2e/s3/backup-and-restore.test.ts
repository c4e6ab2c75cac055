import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hashTree, lifeboat, makeTempDir, multisetDiff, removeDir } from '../cli.js';
import { type BackupWorld, createBackupWorld, type RunReport, totalSize } from '../world.js';
import { type S3Server, SECRET_ACCESS_KEY, SECRETS_INPUT, secretsEnv, startS3Server } from './s3-world.js';

const COUNT = 120;
const PREFIX = 'lifeboat/photos/';

interface RestoreReport {
  ok: boolean;
  filesRestored: number;
  bytesRestored: number;
  failures: unknown[];
}

describe('backing up a folder to a disk drive and an S3 bucket in one run, then restoring from the bucket alone', () => {
  let s3: S3Server;
  let world: BackupWorld;
  let bucket: string;
  let add: CliResult;
  let run: CliResult;
  let disk: Map<string, string>; // relPath -> sha256
  let cloud: Map<string, string>; // key under the prefix -> sha256
  const env = secretsEnv();

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    world = await createBackupWorld({ count: COUNT, seed: 51 }, ['drive-a']);
    add = await world.cli(
      ['destination', 'add', 's3', 'offsite-e2e', ...s3.destinationArgs(bucket, [`prefix=${PREFIX}`])],
      { input: SECRETS_INPUT, env },
    );
    if (add.code !== 0) return; // reported by the first test
    const plan = await world.cli(
      ['plan', 'add', 'both', '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite-e2e'],
      { env },
    );
    if (plan.code !== 0) throw new Error(plan.describe());
    run = await world.cli(['run', 'both', '--json'], { env });
    disk = await hashTree(world.drives[0]!.path);
    cloud = await s3.hashes(bucket, PREFIX);
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
    await s3?.stop();
  });

  it('adds the S3 destination with its keys from stdin, keeping them out of the config file', async () => {
    expect(add.code, add.describe()).toBe(0);
    expect(add.stderr).toContain(`s3://${bucket}/${PREFIX}`);
    const config = await readFile(join(world.home, 'config.json'), 'utf8');
    expect(config).not.toContain(SECRET_ACCESS_KEY);
    expect(JSON.parse(config).destinations['offsite-e2e']).toMatchObject({
      type: 's3',
      settings: { bucket, prefix: PREFIX, forcePathStyle: true, offsite: true },
      secrets: ['accessKeyId', 'secretAccessKey'],
    });
  });

  it('copies every file to both destinations, reading each source file once', () => {
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    const bytes = totalSize(world.manifest);
    // filesCopied counts files read from the source: one read fed both destinations.
    expect(report).toMatchObject({ ok: true, filesCopied: COUNT, bytesCopied: bytes, failures: [] });
    for (const name of ['drive-a', 'offsite-e2e']) {
      expect(report.destinations.find((d) => d.name === name)).toMatchObject({
        filesCopied: COUNT,
        bytesCopied: bytes,
      });
    }
  });

  it('holds byte-identical copies in the bucket, under the same keys as on the drive', () => {
    const { missing, extra } = multisetDiff(
      world.manifest.map((e) => e.sha256),
      cloud.values(),
    );
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(cloud).toEqual(disk);
  });

  it("keeps core's marker and index in the bucket, so the bucket describes itself", async () => {
    const meta = (await s3.keys(bucket, `${PREFIX}.lifeboat/`)).map((k) => k.slice(PREFIX.length));
    expect(meta).toContain('.lifeboat/destination.json');
    expect(meta.some((k) => k.startsWith('.lifeboat/index/'))).toBe(true);
    expect(meta.filter((k) => k.includes('probe-'))).toEqual([]);
    // Nothing outside the prefix.
    expect((await s3.keys(bucket)).filter((k) => !k.startsWith(PREFIX))).toEqual([]);
  });

  it('a second run copies nothing: the bucket already holds every file', async () => {
    const again = await world.cli(['run', 'both', '--json'], { env });
    expect(again.code, again.describe()).toBe(0);
    expect(again.json<RunReport>()).toMatchObject({ ok: true, filesCopied: 0, failures: [] });
  }, 120_000);

  it('restores byte-identical files from the bucket with an empty LIFEBOAT_HOME (restore --type s3)', async () => {
    const fresh = await makeTempDir('lifeboat-e2e-s3-home-');
    const to = join(world.root, 'restored-from-s3');
    try {
      const args = ['restore', '--type', 's3', ...s3.destinationArgs(bucket, [`prefix=${PREFIX}`]), '--to', to];
      const restore = await lifeboat([...args, '--json'], { home: fresh, input: SECRETS_INPUT });
      expect(restore.code, restore.describe()).toBe(0);
      expect(restore.json<RestoreReport>()).toMatchObject({
        ok: true,
        filesRestored: COUNT,
        bytesRestored: totalSize(world.manifest),
        failures: [],
      });
      const restored = await hashTree(to);
      expect(restored).toEqual(disk);
      expect(`${restore.stdout}${restore.stderr}`).not.toContain(SECRET_ACCESS_KEY);
      // Secrets given to restore are held in memory only: nothing saved in the fresh home.
      expect(await readFile(join(fresh, 'config.json'), 'utf8').catch(() => '')).not.toContain('offsite');
    } finally {
      await removeDir(fresh);
    }
  }, 120_000);
});
