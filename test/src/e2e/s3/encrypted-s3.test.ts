import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hashTree } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import {
  ACCESS_KEY_ID,
  type S3Server,
  SECRET_ACCESS_KEY,
  SECRETS_INPUT,
  secretsEnv,
  startS3Server,
} from './s3-world.js';

// Issue 20 on S3: an encrypted bucket shows no names, dates or albums, and rclone (Debian's) reads it back
// byte-identical through the crypt remote `destination show --rclone-config` prints.

const PREFIX = 'family/';
const PASSWORD = 'an offsite password kept in a safe';

describe('an encrypted S3 destination (rclone crypt format)', () => {
  let s3: S3Server;
  let world: BackupWorld;
  let bucket: string;
  let run: CliResult;
  const env = secretsEnv();

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    world = await createBackupWorld({ count: 30, seed: 20 }, ['drive-a']);
    const args = s3.destinationArgs(bucket, [`prefix=${PREFIX}`, 'encryption=rclone-crypt']);
    const add = await world.cli(['destination', 'add', 's3', 'offsite', ...args, '--secret', 'encryptionPassword'], {
      input: `${SECRETS_INPUT}${PASSWORD}\n`,
      env,
    });
    if (add.code !== 0) throw new Error(add.describe());
    const plan = ['plan', 'add', 'both', '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite'];
    const added = await world.cli(plan, { env });
    if (added.code !== 0) throw new Error(added.describe());
    run = await world.cli(['run', 'both', '--json'], { env });
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
    await s3?.stop();
  });

  it('backs up to the drive and the bucket', () => {
    expect(run.code, run.describe()).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, filesCopied: 30 });
  });

  it('leaves no file name, date or album in object keys or bodies', async () => {
    const keys = await s3.keys(bucket);
    expect(keys.length).toBeGreaterThan(30);
    const names = world.manifest.map((entry) => entry.fileName.replace(/\.[^.]+$/, ''));
    const days = world.manifest.map((entry) => entry.capturedAt.slice(0, 10));
    for (const key of keys) {
      expect(key.startsWith(PREFIX)).toBe(true);
      for (const segment of key.slice(PREFIX.length).split('/')) {
        expect(segment).not.toMatch(/^\d{4}$|^\d{2}$|lifeboat|index|destination|\.jsonl?$/);
        for (const name of names) expect(segment).not.toContain(name);
      }
      const answer = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = Buffer.from(await answer.Body!.transformToByteArray());
      expect(body.subarray(0, 8).toString('latin1'), key).toBe('RCLONE\0\0');
      for (const text of [...names, ...days, 'capturedAt', 'lifeboat']) {
        expect(body.includes(text), `${key} holds "${text}"`).toBe(false);
      }
    }
  });

  it('rclone reads the bucket byte-identical through the printed crypt remote', async () => {
    const shown = await world.cli(['destination', 'show', 'offsite', '--rclone-config'], { env });
    expect(shown.code, shown.describe()).toBe(0);
    expect(shown.stdout).not.toContain(PASSWORD);
    expect(shown.stdout).not.toContain(SECRET_ACCESS_KEY);
    const config = join(world.root, 'rclone.conf');
    await writeFile(config, shown.stdout);
    const out = join(world.root, 'by-rclone');
    // The bucket's keys come from the environment, as the printed config's comment says.
    const rcloneEnv: NodeJS.ProcessEnv = {
      ...process.env,
      RCLONE_CONFIG: config,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    };
    delete rcloneEnv.AWS_CA_BUNDLE; // as in the S3 benchmark: rclone fails on this machine's bundle setting
    // Asynchronously: fauxqs answers from this very process, which a synchronous spawn would block.
    await promisify(execFile)('rclone', ['copy', 'offsite:', out], { env: rcloneEnv }).catch((error) => {
      throw new Error(
        `rclone copy failed (is rclone installed? bash scripts/ensure-debs.sh): ${error.stderr ?? error}`,
      );
    });
    expect(await hashTree(out)).toEqual(await hashTree(world.drives[0]!.path));
  });
});
