import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backends.js';
import { MemorySecretStore } from './memory-store.js';
import { scopedSecrets } from './scoped-secrets.js';
import type { SecretScope } from './secret-store.js';

describe('scopedSecrets', () => {
  it('gives each instance only its own secrets', async () => {
    const store = new MemorySecretStore();
    const scope: SecretScope = { pluginId: 's3', kind: 'destination', name: 'a' };
    const a = scopedSecrets(store, scope);
    const b = scopedSecrets(store, { ...scope, name: 'b' });
    await a.set('token', 'one');
    scope.name = 'b'; // the adapter keeps its own copy of the scope
    expect(await a.get('token')).toBe('one');
    expect(await b.get('token')).toBeUndefined();
    await a.delete('token');
    expect(await a.get('token')).toBeUndefined();
  });
});

describe('chooseBackend', () => {
  it('defaults to the keychain and follows the config, with LIFEBOAT_SECRETS taking precedence', () => {
    expect(chooseBackend({})).toBe('keychain');
    expect(chooseBackend({}, 'vault')).toBe('vault');
    expect(chooseBackend({ LIFEBOAT_SECRETS: 'keychain' }, 'vault')).toBe('keychain');
    expect(chooseBackend({ LIFEBOAT_SECRETS: 'vault' })).toBe('vault');
    expect(chooseBackend({ LIFEBOAT_SECRETS: '' }, 'vault')).toBe('vault');
  });

  it('rejects an unknown backend instead of guessing', () => {
    expect(() => chooseBackend({ LIFEBOAT_SECRETS: 'plaintext' })).toThrow(
      /Unknown secrets backend "plaintext" in LIFEBOAT_SECRETS/,
    );
    expect(() => chooseBackend({}, 'file')).toThrow(/in the config file/);
  });
});
