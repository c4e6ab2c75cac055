import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileVault } from './file-vault.js';
import type { SecretScope } from './secret-store.js';
import { SecretStoreError } from './secret-store-error.js';

const off: SecretScope = { pluginId: 's3', kind: 'destination', name: 'off' };
const other: SecretScope = { pluginId: 's3', kind: 'destination', name: 'other' };
const VALUE = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCY';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-vault-'));
  path = join(dir, 'state', 'secrets.vault');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const vault = (passphrase = 'correct horse') => new FileVault({ path, passphrase: async () => passphrase });

describe('FileVault', () => {
  it('round-trips a secret and keeps instances apart', async () => {
    const v = vault();
    await v.set(off, 'secretAccessKey', VALUE);
    await v.set(other, 'secretAccessKey', 'another');
    expect(await v.get(off, 'secretAccessKey')).toBe(VALUE);
    expect(await v.get(other, 'secretAccessKey')).toBe('another');
    expect(await v.get(off, 'missing')).toBeUndefined();
  });

  it('lets a re-opened vault (another process) see the same secrets', async () => {
    await vault().set(off, 'a', VALUE);
    const again = vault();
    expect(await again.get(off, 'a')).toBe(VALUE);
    await again.set(off, 'b', 'two');
    expect(await vault().get(off, 'b')).toBe('two');
  });

  it('writes a file that holds no plaintext value, readable only by its owner', async () => {
    await vault().set(off, 'secretAccessKey', VALUE);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain('secretAccessKey');
    expect(JSON.parse(text)).toMatchObject({ format: 'lifeboat-vault', kdf: { name: 'scrypt', N: 2 ** 15 } });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('uses a fresh IV for every write', async () => {
    const v = vault();
    await v.set(off, 'a', VALUE);
    const first = JSON.parse(readFileSync(path, 'utf8'));
    await v.set(off, 'a', VALUE);
    const second = JSON.parse(readFileSync(path, 'utf8'));
    expect(second.iv).not.toBe(first.iv);
    expect(second.kdf.salt).toBe(first.kdf.salt);
  });

  it('refuses a wrong passphrase with a clear error that holds no secret', async () => {
    await vault().set(off, 'a', VALUE);
    const error = await vault('wrong')
      .get(off, 'a')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect((error as SecretStoreError).message).toMatch(/wrong vault passphrase/i);
    expect((error as SecretStoreError).code).toBe('LIFEBOAT_KEYCHAIN');
    expect(JSON.stringify(error) + String(error)).not.toContain(VALUE);
    await expect(vault('wrong').set(off, 'b', 'x')).rejects.toThrow(/wrong vault passphrase/i);
    expect(await vault().get(off, 'b')).toBeUndefined();
  });

  it('detects a modified file', async () => {
    await vault().set(off, 'a', VALUE);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const data = Buffer.from(file.data, 'base64');
    data[0]! ^= 1;
    writeFileSync(path, JSON.stringify({ ...file, data: data.toString('base64') }));
    await expect(vault().get(off, 'a')).rejects.toThrow(/modified or is damaged/);
    // The header is authenticated too: a changed KDF parameter is caught, not silently used.
    writeFileSync(path, JSON.stringify({ ...file, kdf: { ...file.kdf, r: 9 } }));
    await expect(vault().get(off, 'a')).rejects.toThrow(SecretStoreError);
    writeFileSync(path, 'not a vault');
    await expect(vault().get(off, 'a')).rejects.toThrow(/not a Lifeboat vault/);
  });

  it('reads a vault that does not exist yet as empty, without asking for the passphrase', async () => {
    const v = new FileVault({ path, passphrase: () => Promise.reject(new Error('must not ask')) });
    expect(await v.get(off, 'a')).toBeUndefined();
  });

  it('asks for the passphrase once per process', async () => {
    let asked = 0;
    const passphrase = async () => {
      asked++;
      return 'pw';
    };
    const v = new FileVault({ path, passphrase });
    await Promise.all([v.set(off, 'a', '1'), v.set(off, 'b', '2'), v.set(other, 'c', '3')]);
    expect(await v.get(off, 'a')).toBe('1');
    expect(await v.get(off, 'b')).toBe('2');
    expect(asked).toBe(1);
  });

  it('deletes one secret, or every secret of one instance', async () => {
    const v = vault();
    await v.set(off, 'a', '1');
    await v.set(off, 'b', '2');
    await v.set(other, 'a', '3');
    await v.delete(off, 'a');
    expect(await v.get(off, 'a')).toBeUndefined();
    expect(await v.get(off, 'b')).toBe('2');
    await v.deleteAll(off);
    expect(await v.get(off, 'b')).toBeUndefined();
    expect(await v.get(other, 'a')).toBe('3');
  });

  it('refuses an empty passphrase', async () => {
    await expect(vault('').set(off, 'a', VALUE)).rejects.toThrow(/No passphrase/);
  });
});
