/**
 * Issue 20 on OpenStack Swift's s3api (a real object store that checks signatures), and the other direction of the
 * format: an encrypted backup there verifies and restores byte-identical; files `rclone copy` (Debian's) wrote
 * into a crypt remote, with no Lifeboat index, come back byte-identical through `restore --rclone-crypt`, from the
 * bucket and from a folder.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSwiftAvailable, type SwiftServer, startSwift } from '../../servers/swift.js';
import { hashTree } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { secretsEnv } from './s3-world.js';

const PASSWORD = 'a family password, also on paper in the safe';
const BUCKET = 'crypt-e2e';

describe('rclone crypt on Swift, both directions', () => {
  let swift: SwiftServer;
  let world: BackupWorld;
  const env = secretsEnv();
  const s3Set = (prefix: string) => [
    ...['--set', `bucket=${BUCKET}`, '--set', `endpoint=${swift.endpoint}`, '--set', 'forcePathStyle=true'],
    ...['--set', 'checksumMode=when_required', '--set', `prefix=${prefix}`],
    ...['--secret', 'accessKeyId', '--secret', 'secretAccessKey'],
  ];
  const keys = () => `${swift.accessKeyId}\n${swift.secretAccessKey}\n`;

  /** rclone with remotes from the environment only: `sw` (Swift's s3api), `sc` (crypt over sw), `lc` (crypt over a folder). */
  async function rclone(args: string[], folder = '/nonexistent'): Promise<void> {
    const run = promisify(execFile);
    const { stdout: obscured } = await run('rclone', ['obscure', PASSWORD]);
    const rcloneEnv: NodeJS.ProcessEnv = {
      ...process.env,
      RCLONE_CONFIG: join(world.root, 'no-rclone.conf'),
      RCLONE_CONFIG_SW_TYPE: 's3',
      RCLONE_CONFIG_SW_PROVIDER: 'Other',
      RCLONE_CONFIG_SW_ENDPOINT: swift.endpoint,
      RCLONE_CONFIG_SW_ACCESS_KEY_ID: swift.accessKeyId,
      RCLONE_CONFIG_SW_SECRET_ACCESS_KEY: swift.secretAccessKey,
      RCLONE_CONFIG_SW_REGION: swift.region,
      RCLONE_CONFIG_SW_FORCE_PATH_STYLE: 'true',
      RCLONE_CONFIG_SC_TYPE: 'crypt',
      RCLONE_CONFIG_SC_REMOTE: `sw:${BUCKET}/by-rclone`,
      RCLONE_CONFIG_SC_PASSWORD: obscured.trim(),
      RCLONE_CONFIG_LC_TYPE: 'crypt',
      RCLONE_CONFIG_LC_REMOTE: folder,
      RCLONE_CONFIG_LC_PASSWORD: obscured.trim(),
    };
    delete rcloneEnv.AWS_CA_BUNDLE; // as in the S3 benchmark: rclone fails on this machine's bundle setting
    await run('rclone', args, { env: rcloneEnv }).catch((error) => {
      throw new Error(`rclone ${args.join(' ')} failed (bash scripts/ensure-debs.sh?): ${error.stderr ?? error}`);
    });
  }

  beforeAll(async () => {
    assertSwiftAvailable();
    swift = await startSwift();
    await swift.createBucket(BUCKET);
    world = await createBackupWorld({ count: 8, seed: 21 }, ['drive-a']);
  }, 120_000);
  afterAll(async () => {
    await world?.cleanup();
    await swift?.stop();
  });

  it('backs up encrypted to Swift; verify and restore read it back byte-identical', async () => {
    const add = await world.cli(
      [
        ...['destination', 'add', 's3', 'offsite', ...s3Set('lifeboat')],
        ...['--set', 'encryption=rclone-crypt', '--secret', 'encryptionPassword'],
      ],
      { input: `${keys()}${PASSWORD}\n`, env },
    );
    expect(add.code, add.describe()).toBe(0);
    const plan = ['plan', 'add', 'both', '--source', 'photos', '--destination', 'drive-a', '--destination', 'offsite'];
    expect((await world.cli(plan, { env })).code).toBe(0);
    const run = await world.cli(['run', 'both', '--json'], { env });
    expect(run.code, run.describe()).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, filesCopied: 8 });
    const verify = await world.cli(['verify', 'offsite', '--json'], { env });
    expect(verify.code, verify.describe()).toBe(0);
    const to = join(world.root, 'restored');
    const restore = await world.cli(['restore', '--from', 'offsite', '--to', to, '--json'], { env });
    expect(restore.code, restore.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(await hashTree(world.drives[0]!.path));
    // The 3-2-1 meter says which copy is encrypted.
    const shown = await world.cli(['plan', 'show', 'both', '--json'], { env });
    expect(shown.code, shown.describe()).toBe(0);
    expect(shown.json<{ evaluation: { encrypted: string[] } }>().evaluation.encrypted).toEqual(['offsite']);
    const text = await world.cli(['plan', 'show', 'both'], { env });
    expect(text.stdout).toContain('encrypted copies: offsite (rclone crypt)');
  });

  it('restore --rclone-crypt reads what rclone copy wrote into a crypt remote (no index), from Swift and a folder', async () => {
    const plain = join(world.root, 'written-by-rclone');
    await mkdir(join(plain, '2019', 'Été à la mer'), { recursive: true });
    await writeFile(join(plain, 'notes.txt'), 'not a photo, still restored\n');
    await writeFile(join(plain, '2019', 'Été à la mer', 'IMG_0001.JPG'), Buffer.alloc(200_000, 7));
    await writeFile(join(plain, '2019', 'empty.bin'), '');
    await rclone(['copy', plain, 'sc:']);
    const fromBucket = join(world.root, 'from-bucket');
    const bucket = await world.cli(
      ['restore', '--type', 's3', ...s3Set('by-rclone'), '--rclone-crypt', '--to', fromBucket, '--json'],
      { input: `${keys()}${PASSWORD}\n`, env },
    );
    expect(bucket.code, bucket.describe()).toBe(0);
    expect(bucket.json()).toMatchObject({ ok: true, filesRestored: 3 });
    expect(await hashTree(fromBucket)).toEqual(await hashTree(plain));

    const folder = join(world.root, 'crypt-folder');
    await rclone(['copy', plain, 'lc:'], folder);
    const fromFolder = join(world.root, 'from-folder');
    const local = await world.cli(['restore', '--from', folder, '--rclone-crypt', '--to', fromFolder], {
      input: `${PASSWORD}\n`,
      env,
    });
    expect(local.code, local.describe()).toBe(0);
    expect(await hashTree(fromFolder)).toEqual(await hashTree(plain));
    // The wrong password restores nothing and says so.
    const wrong = await world.cli(['restore', '--from', folder, '--rclone-crypt', '--to', join(world.root, 'x')], {
      input: 'not the password\n',
      env,
    });
    expect(wrong.code, wrong.describe()).not.toBe(0);
    expect(wrong.stderr).toContain('No file there could be decrypted');
  });
});
