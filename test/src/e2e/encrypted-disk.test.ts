import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RcloneCrypt } from '@lifeboat/crypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhotoFolder, type PhotoEntry } from '../fixtures/photo-folder.js';
import {
  assertCliBuilt,
  type CliResult,
  hashTree,
  lifeboat,
  lifeboatOk,
  makeTempDir,
  removeDir,
  walkFiles,
} from './cli.js';
import { secretsEnv } from './s3/s3-world.js';

// Issue 20 on a disk destination: a backup with encryption=rclone-crypt leaves nothing readable on the drive, rclone
// reads it back byte-identical from the printed config, and verify, repair and restore see through the encryption.

const PASSWORD = 'correct horse battery staple';
const PASSWORD2 = 'a salt of our own';

function rclone(config: string, args: string[]) {
  const result = spawnSync('rclone', args, { env: { ...process.env, RCLONE_CONFIG: config }, maxBuffer: 1 << 26 });
  if (result.error) throw new Error(`cannot run rclone (${result.error.message}); run bash scripts/ensure-debs.sh`);
  if (result.status !== 0) throw new Error(`rclone ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

describe('an encrypted disk destination (rclone crypt format)', () => {
  let root: string;
  let manifest: PhotoEntry[];
  let plainDir: string;
  let vaultDir: string;
  let run: CliResult;
  const cli = (args: string[], input?: string) =>
    lifeboat(args, { home: join(root, 'home'), env: secretsEnv(), ...(input !== undefined && { input }) });

  beforeAll(async () => {
    assertCliBuilt();
    root = await makeTempDir();
    const home = join(root, 'home');
    const options = { home, env: secretsEnv() };
    plainDir = join(root, 'plain');
    vaultDir = join(root, 'vault');
    manifest = await generatePhotoFolder(join(root, 'photos'), { count: 40, seed: 20 });
    await lifeboatOk(['source', 'add', 'folder', 'photos', '--set', `path=${join(root, 'photos')}`], options);
    await lifeboatOk(['destination', 'add', 'disk', 'plain', '--set', `path=${plainDir}`], options);
    await lifeboatOk(
      [
        ...['destination', 'add', 'disk', 'vault', '--set', `path=${vaultDir}`, '--set', 'encryption=rclone-crypt'],
        ...['--secret', 'encryptionPassword', '--secret', 'encryptionPassword2'],
      ],
      { ...options, input: `${PASSWORD}\n${PASSWORD2}\n` },
    );
    await lifeboatOk(
      ['plan', 'add', 'main', '--source', 'photos', '--destination', 'plain', '--destination', 'vault'],
      options,
    );
    run = await cli(['run', 'main', '--json']);
  }, 180_000);
  afterAll(() => (root && !process.env.LIFEBOAT_KEEP_E2E ? removeDir(root) : undefined));

  it('backs up to both destinations', () => {
    expect(run.code, run.describe()).toBe(0);
    expect(run.json()).toMatchObject({ ok: true, filesCopied: 40 });
  });

  it('leaves no file name, date or album in the vault: not in paths, not in bodies', async () => {
    const files = await walkFiles(vaultDir, { includeMeta: true });
    expect(files.length).toBeGreaterThan(40); // the copies, the marker and the index
    const names = manifest.map((entry) => entry.fileName.replace(/\.[^.]+$/, ''));
    const days = manifest.map((entry) => entry.capturedAt.slice(0, 10));
    for (const file of files) {
      for (const segment of file.split('/')) {
        expect(segment).not.toMatch(/^\d{4}$|^\d{2}$|lifeboat|index|destination|\.jsonl?$/);
        for (const name of names) expect(segment).not.toContain(name);
      }
      const body = await readFile(join(vaultDir, file));
      expect(body.subarray(0, 8).toString('latin1'), file).toBe('RCLONE\0\0');
      for (const text of [...names, ...days, 'capturedAt', 'lifeboat', 'photos']) {
        expect(body.includes(text), `${file} holds "${text}"`).toBe(false);
      }
    }
  });

  it('status says which destination is encrypted', async () => {
    const status = await cli(['status', '--json']);
    expect(status.code, status.describe()).toBe(0);
    const destinations = status.json<{ destinations: { name: string; encryption: string }[] }>().destinations;
    expect(destinations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'plain', encryption: 'none' }),
        expect.objectContaining({ name: 'vault', encryption: 'rclone-crypt' }),
      ]),
    );
  });

  it('rclone reads the vault byte-identical with the printed config', async () => {
    const shown = await cli(['destination', 'show', 'vault', '--rclone-config']);
    expect(shown.code, shown.describe()).toBe(0);
    expect(shown.stderr).toMatch(/Warning: .*passwords/);
    expect(shown.stdout).not.toContain(PASSWORD);
    expect(shown.stdout).toMatch(/type = crypt/);
    const config = join(root, 'rclone.conf');
    await writeFile(config, shown.stdout);
    const out = join(root, 'by-rclone');
    rclone(config, ['copy', 'vault:', out]);
    expect(await hashTree(out)).toEqual(await hashTree(plainDir));
  });

  it('restores from the drive alone (no config), given its settings and passwords', async () => {
    const to = join(root, 'restored-unconfigured');
    const args = ['restore', '--type', 'disk', '--set', `path=${vaultDir}`, '--set', 'encryption=rclone-crypt'];
    const secrets = ['--secret', 'encryptionPassword', '--secret', 'encryptionPassword2'];
    const restore = await lifeboat([...args, ...secrets, '--to', to], {
      home: join(root, 'another-home'),
      env: secretsEnv(),
      input: `${PASSWORD}\n${PASSWORD2}\n`,
    });
    expect(restore.code, restore.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(await hashTree(plainDir));
  });

  it('verify finds a flipped byte, repair mends it from the plain copy, restore decrypts', async () => {
    const crypt = await RcloneCrypt.create({ password: PASSWORD, password2: PASSWORD2 });
    const [victim] = await walkFiles(plainDir);
    const stored = join(vaultDir, crypt.names.encryptFileName(victim!));
    const bytes = await readFile(stored);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
    await writeFile(stored, bytes);

    const verify = await cli(['verify', 'vault', '--json']);
    expect(verify.code, verify.describe()).not.toBe(0);
    expect(verify.stdout).toContain(victim);
    const repair = await cli(['repair', 'vault']);
    expect(repair.code, repair.describe()).toBe(0);
    const again = await cli(['verify', 'vault']);
    expect(again.code, again.describe()).toBe(0);

    const to = join(root, 'restored');
    const restore = await cli(['restore', '--from', 'vault', '--to', to]);
    expect(restore.code, restore.describe()).toBe(0);
    expect(await hashTree(to)).toEqual(await hashTree(plainDir));
  });
});
