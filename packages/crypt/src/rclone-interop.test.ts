import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CryptSettings, RcloneCrypt } from './cipher.js';
import { obscure, reveal } from './obscure.js';
import { cryptRemoteOptions, renderRcloneConfig } from './rclone-config.js';
import { encryptedSize } from './sizes.js';
import { listFiles, rclone, rcloneOk } from './test-helpers/rclone.js';

// Both directions of the format against the real rclone (Debian's package): what rclone encrypts we decrypt, what
// we encrypt rclone decrypts, byte for byte, with the same encrypted names and sizes.

/** Plain files around the block edges, with unicode names, folders and a version-stamped name. */
const PLAIN_FILES: Record<string, number> = {
  'empty.jpg': 0,
  'exactly 64 KiB.bin': 65536,
  'one more than 64 KiB.heic': 65537,
  'Été à Zürich/IMG_0001.HEIC': 3 * 1024 * 1024 + 123,
  '家族/写真 2024/祭り 🎉.jpg': 1000,
  'IMG_0002-v2001-02-03-040506-123.jpg': 17,
  [`deep/a/b/${'long name '.repeat(10)}.mov`]: 70_000, // 143 bytes is rclone's most in base32
};

const SETTINGS: [string, Omit<CryptSettings, 'password'>][] = [
  ['standard names, folders encrypted, password2', { password2: 'pepper and salt' }],
  ['standard names, folders in the clear', { directoryNameEncryption: false }],
  ['base64 names', { filenameEncoding: 'base64' }],
  ['names in the clear with .bin', { filenameEncryption: 'off' }],
];

let root: string;
let plainDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-crypt-'));
  plainDir = join(root, 'plain');
  for (const [path, size] of Object.entries(PLAIN_FILES)) {
    await mkdir(dirname(join(plainDir, path)), { recursive: true });
    await writeFile(join(plainDir, path), randomBytes(size));
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function decryptFile(crypt: RcloneCrypt, path: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of crypt.decrypt(createReadStream(path))) parts.push(part);
  return Buffer.concat(parts);
}

describe.each(SETTINGS)('rclone crypt interop: %s', (label, settings) => {
  let dir: string;
  let config: string;
  const password = `correct horse ${label}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(root, 'case-'));
    config = join(dir, 'rclone.conf');
  });

  it('decrypts what rclone encrypted, names and bodies, and encrypts names identically', async () => {
    const encrypted = join(dir, 'by-rclone');
    // rclone's own obscuring for this config: reveal() must read it.
    const options = cryptRemoteOptions(encrypted, { password, ...settings });
    options.password = rcloneOk(config, ['obscure', password]).toString().trim();
    if (settings.password2) options.password2 = rcloneOk(config, ['obscure', settings.password2]).toString().trim();
    await writeFile(config, renderRcloneConfig([{ name: 'secret', options }]));
    rcloneOk(config, ['copy', plainDir, 'secret:']);

    const crypt = await RcloneCrypt.create({
      ...settings,
      password: reveal(options.password),
      password2: options.password2 ? reveal(options.password2) : '',
    });
    const written = await listFiles(encrypted);
    expect(written).toHaveLength(Object.keys(PLAIN_FILES).length);
    const decryptedNames = written.map((name) => crypt.names.decryptFileName(name)).sort();
    expect(decryptedNames).toEqual(Object.keys(PLAIN_FILES).sort());
    const listedByRclone = rcloneOk(config, ['lsf', '-R', '--files-only', 'secret:']).toString().trim().split('\n');
    expect(decryptedNames).toEqual(listedByRclone.sort());
    if (settings.filenameEncryption !== 'off') {
      // Folder names stay readable only when directory name encryption is off.
      const hidden = settings.directoryNameEncryption === false ? written.map((name) => basename(name)) : written;
      expect(hidden.join('\n')).not.toMatch(/IMG_|Zürich|家族|写真|deep|empty|long name/);
    }

    for (const name of written) {
      const plainPath = crypt.names.decryptFileName(name);
      expect(crypt.names.encryptFileName(plainPath)).toBe(name);
      const plain = await readFile(join(plainDir, plainPath));
      expect((await stat(join(encrypted, name))).size).toBe(encryptedSize(plain.length));
      expect((await decryptFile(crypt, join(encrypted, name))).equals(plain)).toBe(true);
    }
  });

  it('writes what rclone decrypts byte-identical, and both find a flipped byte', async () => {
    const encrypted = join(dir, 'by-lifeboat');
    const crypt = await RcloneCrypt.create({ password, ...settings });
    for (const path of Object.keys(PLAIN_FILES)) {
      const target = join(encrypted, crypt.names.encryptFileName(path));
      await mkdir(dirname(target), { recursive: true });
      await pipeline(createReadStream(join(plainDir, path)), crypt.encryptStream(), createWriteStream(target));
    }
    // Our own obscuring in the config: rclone must reveal it.
    const config2 = join(dir, 'ours.conf');
    await writeFile(
      config2,
      renderRcloneConfig([{ name: 'ours', options: cryptRemoteOptions(encrypted, { password, ...settings }) }]),
    );

    const listed = rcloneOk(config2, ['lsf', '-R', '--files-only', 'ours:']).toString().trim().split('\n');
    expect(listed.sort()).toEqual(Object.keys(PLAIN_FILES).sort());
    const sizes = JSON.parse(rcloneOk(config2, ['lsjson', '-R', '--files-only', 'ours:']).toString()) as {
      Path: string;
      Size: number;
    }[];
    for (const { Path, Size } of sizes) expect(Size).toBe(PLAIN_FILES[Path]);

    const out = join(dir, 'out');
    rcloneOk(config2, ['copy', 'ours:', out]);
    expect(await listFiles(out)).toEqual(Object.keys(PLAIN_FILES).sort());
    for (const path of Object.keys(PLAIN_FILES)) {
      expect((await readFile(join(out, path))).equals(await readFile(join(plainDir, path)))).toBe(true);
    }
    const unicodePath = '家族/写真 2024/祭り 🎉.jpg';
    expect(rcloneOk(config2, ['cat', `ours:${unicodePath}`]).equals(await readFile(join(plainDir, unicodePath)))).toBe(
      true,
    );

    const bigPath = 'Été à Zürich/IMG_0001.HEIC';
    const bigFile = join(encrypted, crypt.names.encryptFileName(bigPath));
    const damaged = await readFile(bigFile);
    damaged[1_500_000]! ^= 0x40;
    await writeFile(bigFile, damaged);
    await expect(decryptFile(crypt, bigFile)).rejects.toMatchObject({ code: 'bad-block' });
    const cat = rclone(config2, ['cat', `ours:${bigPath}`]);
    expect(cat.status).not.toBe(0);
    expect(cat.stderr).toMatch(/failed to authenticate/);
  });
});

describe('rclone obscure interop', () => {
  it('reveals what rclone obscured, and rclone reveals what we obscured', async () => {
    const config = join(root, 'none.conf');
    const password = 'pässwörd with spaces & ünïcode 🔑';
    expect(reveal(rcloneOk(config, ['obscure', password]).toString().trim())).toBe(password);
    expect(
      rcloneOk(config, ['reveal', obscure(password)])
        .toString()
        .trim(),
    ).toBe(password);
  });
});
