import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSwiftAvailable, type SwiftServer, startSwift } from '../../servers/swift.js';
import { NO_ACCESS_USER } from '../../servers/swift-config.js';
import { assertCliBuilt, type CliResult, lifeboat, makeTempDir, removeDir } from '../cli.js';
import { secretsEnv } from './s3-world.js';

// The two bad settings fauxqs cannot show, through the built CLI against Swift's s3api, which checks both for
// real: credentials that are valid but may not use the bucket, and a computer clock far off (the CLI runs under
// faketime; Swift refuses requests more than 15 minutes away from its own time).

const faketime = '/usr/bin/faketime';

describe('destination add s3 against Swift with a bad setting', () => {
  let swift: SwiftServer;
  let home: string;
  let bucket: string;
  let client: S3Client;
  const env = secretsEnv();

  beforeAll(async () => {
    assertCliBuilt();
    assertSwiftAvailable();
    swift = await startSwift();
    bucket = `bad-${randomUUID().slice(0, 18)}`;
    await swift.createBucket(bucket);
    client = new S3Client(swift.clientConfig());
    home = await makeTempDir('lifeboat-e2e-swift-bad-');
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await removeDir(home);
    await swift?.stop();
  });

  const args = (name: string) => [
    ...['destination', 'add', 's3', name, '--set', `bucket=${bucket}`, '--set', `endpoint=${swift.endpoint}`],
    ...['--set', 'forcePathStyle=true', '--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
  ];

  async function expectNothingAdded(result: CliResult, secret: string) {
    expect(result.code, result.describe()).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    const config = await readFile(join(home, 'config.json'), 'utf8').catch(() => '{}');
    expect(Object.keys(JSON.parse(config).destinations ?? {})).toEqual([]);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.KeyCount ?? 0).toBe(0);
  }

  it('says access is denied when the credentials are valid but may not use the bucket', async () => {
    const { accessKeyId, secretAccessKey } = NO_ACCESS_USER;
    const result = await lifeboat(args('denied'), { home, env, input: `${accessKeyId}\n${secretAccessKey}\n` });
    expect(result.stderr, result.describe()).toMatch(/access denied/i);
    expect(result.stderr).toContain('[LIFEBOAT_S3_ACCESS_DENIED]');
    await expectNothingAdded(result, secretAccessKey);
  });

  it('says the clock is off when the computer clock is two hours fast', async () => {
    if (!existsSync(faketime)) throw new Error(`${faketime} is missing: run \`bash scripts/ensure-debs.sh\``);
    const input = `${swift.accessKeyId}\n${swift.secretAccessKey}\n`;
    const result = await lifeboat(args('skewed'), { home, env, input, wrapper: [faketime, '-f', '+2h'] });
    expect(result.stderr, result.describe()).toMatch(/clock/i);
    expect(result.stderr).toContain('[LIFEBOAT_S3_CLOCK_SKEW]');
    expect(result.stderr).toMatch(/off by about 1[12]\d minutes \(ahead\)/);
    await expectNothingAdded(result, swift.secretAccessKey);
  });
});
