import type { ScopedSecrets } from '@lifeboat/plugin-api';
import type { SecretScope, SecretStore } from './secret-store.js';

/** What a plugin instance receives: the store bound to its own scope, so it cannot name another's secrets. */
export function scopedSecrets(store: SecretStore, scope: SecretScope): ScopedSecrets {
  const own = Object.freeze({ ...scope });
  return {
    get: (key) => store.get(own, key),
    set: (key, value) => store.set(own, key, value),
    delete: (key) => store.delete(own, key),
  };
}
