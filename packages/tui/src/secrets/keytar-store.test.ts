import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { type SecretScope, SecretStoreError, scopedSecrets, withTimeout } from '@lifeboat/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { INDEX_ACCOUNT, KeytarStore, loadKeytar } from './keytar-store.js';

const scope: SecretScope = { pluginId: 's3', kind: 'destination', name: 'offsite' };

// A per-test prefix, so runs and tests never share an item.
const unique = () => `lifeboat-test-${randomBytes(6).toString('hex')}`;

/** The accounts the keyring holds under one service, asked through secret-tool rather than keytar. */
async function accountsInKeyring(service: string): Promise<string[]> {
  const { stdout, stderr } = await promisify(execFile)('secret-tool', ['search', '--all', 'service', service]);
  // secret-tool prints label and secret on stdout, the attributes on stderr.
  return [...`${stdout}\n${stderr}`.matchAll(/^attribute\.account = (.*)$/gm)].map((m) => m[1]!).sort();
}

describe('KeytarStore against the real Secret Service', () => {
  beforeAll(() => {
    // A personal keyring must never receive test items: scripts/test.sh starts a throwaway one and says so.
    if (!process.env.DBUS_SESSION_BUS_ADDRESS || process.env.LIFEBOAT_TEST_KEYRING !== 'hermetic') {
      throw new Error(
        'These tests need the throwaway Secret Service that scripts/test.sh starts (dbus-run-session + ' +
          'gnome-keyring). Run them with `npm test -- packages/tui/src/secrets`, not a bare `npx vitest run`.',
      );
    }
  });

  it('stores, reads and deletes a secret, visible in the keyring under the project service name', async () => {
    const prefix = unique();
    const service = `${prefix}/s3/destination/offsite`;
    const store = new KeytarStore({ servicePrefix: prefix });
    await store.set(scope, 'secretAccessKey', 'v1');
    expect(await store.get(scope, 'secretAccessKey')).toBe('v1');
    expect(await accountsInKeyring(service)).toEqual([INDEX_ACCOUNT, 'secretAccessKey']);

    await store.set(scope, 'secretAccessKey', 'v2');
    expect(await store.get(scope, 'secretAccessKey')).toBe('v2');

    await store.delete(scope, 'secretAccessKey');
    expect(await store.get(scope, 'secretAccessKey')).toBeUndefined();
    expect(await accountsInKeyring(service)).toEqual([]);
  });

  it('deletes every secret of one instance and leaves the others', async () => {
    const prefix = unique();
    const store = new KeytarStore({ servicePrefix: prefix });
    const other: SecretScope = { ...scope, name: 'drive-b' };
    await Promise.all([store.set(scope, 'a', '1'), store.set(scope, 'b', '2'), store.set(other, 'a', '3')]);
    expect(await accountsInKeyring(`${prefix}/s3/destination/offsite`)).toEqual([INDEX_ACCOUNT, 'a', 'b']);

    await store.deleteAll(scope);
    expect(await accountsInKeyring(`${prefix}/s3/destination/offsite`)).toEqual([]);
    expect(await store.get(other, 'a')).toBe('3');
    await store.deleteAll(other);
    expect(await accountsInKeyring(`${prefix}/s3/destination/drive-b`)).toEqual([]);
  });

  it('also deletes names the caller knows of that the index missed', async () => {
    const prefix = unique();
    const store = new KeytarStore({ servicePrefix: prefix });
    const keytar = loadKeytar();
    await keytar.setPassword(`${prefix}/s3/destination/offsite`, 'legacy', 'x'); // written without the index
    await store.deleteAll(scope, ['legacy']);
    expect(await accountsInKeyring(`${prefix}/s3/destination/offsite`)).toEqual([]);
  });

  it('serves a plugin through scopedSecrets and the timeout wrapper', async () => {
    const store = withTimeout(new KeytarStore({ servicePrefix: unique() }));
    const secrets = scopedSecrets(store, scope);
    await secrets.set('token', 't');
    expect(await secrets.get('token')).toBe('t');
    await store.deleteAll(scope);
    expect(await secrets.get('token')).toBeUndefined();
  });
});

describe('KeytarStore failures', () => {
  it('fails within the time limit with a clear error when the keychain never answers', async () => {
    const never = () => new Promise<never>(() => {});
    const hung = new KeytarStore({
      platform: 'linux',
      load: () => ({ getPassword: never, setPassword: never, deletePassword: never }),
    });
    const started = Date.now();
    const error = await withTimeout(hung, 200)
      .set(scope, 'token', 'do-not-print')
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(String((error as Error).message)).toMatch(
      /^The OS keychain \(Secret Service\) did not answer within 200 ms while storing secret "token" for destination "offsite"$/,
    );
    expect((error as SecretStoreError).hint).toMatch(/LIFEBOAT_SECRETS=vault/);
    expect(JSON.stringify(error) + String(error)).not.toContain('do-not-print');
  });

  it('says how to proceed when keytar is not installed, never falling back on its own', async () => {
    const missing = new KeytarStore({ load: () => loadKeytar('keytar-not-installed-here') });
    const error = (await withTimeout(missing)
      .get(scope, 'token')
      .catch((e: unknown) => e)) as SecretStoreError;
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toMatch(/keytar module is not installed or did not build \(Cannot find module/);
    expect(error.hint).toMatch(/libsecret-1-dev.*LIFEBOAT_SECRETS=vault/);
  });
});
