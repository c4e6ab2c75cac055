import { isLifeboatError } from '@lifeboat/plugin-api';
import { describeScope, type SecretScope, type SecretStore } from './secret-store.js';
import { KEYCHAIN_HINT, SecretStoreError, VAULT_HINT } from './secret-store-error.js';

/**
 * Wraps every call of a store with a time limit and turns any failure into a SecretStoreError that names the
 * store, the operation and the instance. Why: a Secret Service whose daemon is activatable but cannot start
 * hangs ~25 s before D-Bus gives up; a user should hear within seconds what is wrong and what to do.
 * `ms = Infinity` keeps the error wrapping without a limit (the vault may wait for a passphrase prompt).
 */
export function withTimeout(store: SecretStore, ms = 5000): SecretStore {
  const run = <T>(what: string, scope: SecretScope, call: () => Promise<T>, value?: string): Promise<T> =>
    guard(store, ms, `${what} for ${describeScope(scope)}`, call, value);
  return {
    backend: store.backend,
    describe: () => store.describe(),
    get: (scope, key) => run(`reading secret "${key}"`, scope, () => store.get(scope, key)),
    set: (scope, key, value) => run(`storing secret "${key}"`, scope, () => store.set(scope, key, value), value),
    delete: (scope, key) => run(`deleting secret "${key}"`, scope, () => store.delete(scope, key)),
    deleteAll: (scope, known) => run('deleting the secrets', scope, () => store.deleteAll(scope, known)),
  };
}

async function guard<T>(store: SecretStore, ms: number, what: string, call: () => Promise<T>, value?: string) {
  const hint = store.backend === 'keychain' ? KEYCHAIN_HINT : VAULT_HINT;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (!Number.isFinite(ms)) return;
    timer = setTimeout(() => {
      const seconds = ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
      reject(new SecretStoreError(`${cap(store.describe())} did not answer within ${seconds} while ${what}`, { hint }));
    }, ms);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    // Our own errors already say what to do (a bad secret name, a wrong vault passphrase): keep them as they are.
    if (isLifeboatError(error)) throw error;
    const reason = redact(error instanceof Error ? error.message : String(error), value);
    throw new SecretStoreError(`${cap(store.describe())} failed while ${what}: ${reason}`, { hint });
  } finally {
    clearTimeout(timer);
  }
}

// A backend's own message is useful ("Cannot create an item in a locked collection"), but must not echo the value.
function redact(text: string, value: string | undefined): string {
  return value ? text.split(value).join('[secret]') : text;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
