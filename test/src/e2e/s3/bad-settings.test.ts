import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, type CliResult, lifeboat, makeTempDir, removeDir } from '../cli.js';
import { closedPort, type S3Server, SECRET_ACCESS_KEY, SECRETS_INPUT, secretsEnv, startS3Server } from './s3-world.js';

// Each bad setting of `destination add s3` gets its own clear error and a non-zero exit, and leaves nothing
// behind: no destination in the config, no object in the bucket.
// Bad credentials, access denied and clock skew cannot be shown here: fauxqs checks no signatures nor dates
// (swift-conformance.test.ts and swift-bad-settings.test.ts show them against Swift).

describe('destination add s3 with a bad setting', () => {
  let s3: S3Server;
  let home: string;
  let bucket: string;
  const env = secretsEnv();

  beforeAll(async () => {
    assertCliBuilt();
    s3 = await startS3Server();
    bucket = await s3.createBucket();
    home = await makeTempDir('lifeboat-e2e-s3-bad-');
  });
  afterAll(async () => {
    await removeDir(home);
    await s3?.stop();
  });

  const add = (name: string, args: string[], input = SECRETS_INPUT) =>
    lifeboat(['destination', 'add', 's3', name, ...args], { home, input, env });

  async function expectNothingAdded(result: CliResult, exit: number) {
    expect(result.code, result.describe()).toBe(exit);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET_ACCESS_KEY);
    const config = await readFile(join(home, 'config.json'), 'utf8').catch(() => '{}');
    expect(Object.keys(JSON.parse(config).destinations ?? {})).toEqual([]);
    expect(await s3.keys(bucket)).toEqual([]);
  }

  it('names a bucket that does not exist', async () => {
    const result = await add('bad-bucket', s3.destinationArgs('no-such-bucket'));
    expect(result.stderr).toContain('The bucket "no-such-bucket" does not exist');
    expect(result.stderr).toContain('[LIFEBOAT_DEST_UNAVAILABLE]');
    await expectNothingAdded(result, 1);
  });

  it('says the endpoint is unreachable when nothing listens there', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const args = s3.destinationArgs(bucket).map((a) => (a.startsWith('endpoint=') ? `endpoint=${endpoint}` : a));
    const result = await add('bad-endpoint', args);
    expect(result.stderr).toContain('endpoint unreachable');
    expect(result.stderr).toContain('[LIFEBOAT_DEST_UNAVAILABLE]');
    await expectNothingAdded(result, 1);
  });

  it('refuses Object Lock on a bucket created without it, writing nothing', async () => {
    // fauxqs answers GetObjectLockConfiguration with an empty configuration, as a bucket without Object Lock.
    const result = await add(
      'bad-lock',
      s3.destinationArgs(bucket, ['objectLockMode=COMPLIANCE', 'objectLockDays=30']),
    );
    expect(result.stderr).toContain(`The bucket "${bucket}"`);
    expect(result.stderr).toContain('has no Object Lock');
    expect(result.stderr).toContain('Create the bucket with Object Lock enabled');
    expect(result.stderr).toContain('[LIFEBOAT_S3_NO_OBJECT_LOCK]');
    await expectNothingAdded(result, 1);
  });

  it('lists the storage classes when given one that does not exist', async () => {
    const result = await add('bad-class', s3.destinationArgs(bucket, ['storageClass=COLD']));
    expect(result.stderr).toContain('storageClass');
    expect(result.stderr).toContain('DEEP_ARCHIVE');
    expect(result.stderr).toContain('[LIFEBOAT_CONFIG]');
    await expectNothingAdded(result, 2);
  });

  it('asks for Object Lock days along with the mode', async () => {
    const result = await add('bad-days', s3.destinationArgs(bucket, ['objectLockMode=GOVERNANCE']));
    expect(result.stderr).toContain('objectLockDays');
    await expectNothingAdded(result, 2);
  });

  it('wants both keys, given with --secret', async () => {
    const all = s3.destinationArgs(bucket);
    const args = all.slice(0, all.indexOf('--secret'));
    const result = await add('no-secret', [...args, '--secret', 'accessKeyId'], 'only-the-key-id\n');
    expect(result.stderr).toContain('secretAccessKey');
    expect(result.stderr).toContain('--secret secretAccessKey');
    await expectNothingAdded(result, 2);
  });

  it('refuses a secret given with --set, pointing to --secret', async () => {
    const args = s3.destinationArgs(bucket, [`secretAccessKey=${SECRET_ACCESS_KEY}`]);
    const result = await add('secret-on-command-line', args);
    expect(result.stderr).toContain('"secretAccessKey" is a secret');
    expect(result.code).toBe(2);
  });
});
