import { UsageError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from './memory-store.js';
import type { SecretScope, SecretStore } from './secret-store.js';
import { SecretStoreError } from './secret-store-error.js';
import { withTimeout } from './with-timeout.js';

const off: SecretScope = { pluginId: 's3', kind: 'destination', name: 'off' };
const VALUE = 'hunter2-very-secret';

function fakeStore(call: () => Promise<never>): SecretStore {
  return {
    backend: 'keychain',
    describe: () => 'the OS keychain (Secret Service)',
    get: call,
    set: call,
    delete: call,
    deleteAll: call,
  };
}

describe('withTimeout', () => {
  it('fails fast with a LIFEBOAT_KEYCHAIN error naming the store, the operation and what to do', async () => {
    const store = withTimeout(
      fakeStore(() => new Promise<never>(() => {})),
      50,
    );
    const started = Date.now();
    const error = (await store.set(off, 'token', VALUE).catch((e: unknown) => e)) as SecretStoreError;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.code).toBe('LIFEBOAT_KEYCHAIN');
    expect(error.message).toBe(
      'The OS keychain (Secret Service) did not answer within 50 ms while storing secret "token" for destination "off"',
    );
    expect(error.hint).toMatch(/LIFEBOAT_SECRETS=vault/);
  });

  it('wraps a backend failure without repeating the secret value', async () => {
    const store = withTimeout(fakeStore(() => Promise.reject(new Error(`locked collection; value was ${VALUE}`))));
    const error = (await store.set(off, 'token', VALUE).catch((e: unknown) => e)) as SecretStoreError;
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toMatch(/failed while storing secret "token" for destination "off": locked collection/);
    expect(`${error.message} ${error.hint} ${String(error.cause)}`).not.toContain(VALUE);
  });

  it('passes results through and keeps Lifeboat errors (a bad secret name) as they are', async () => {
    const store = withTimeout(new MemorySecretStore());
    await store.set(off, 'token', VALUE);
    expect(await store.get(off, 'token')).toBe(VALUE);
    await expect(store.get(off, '../x')).rejects.toBeInstanceOf(UsageError);
  });

  it('accepts no limit at all (a passphrase prompt may take its time)', async () => {
    const store = withTimeout(new MemorySecretStore(), Infinity);
    await store.set(off, 'a', '1');
    expect(await store.get(off, 'a')).toBe('1');
  });
});
