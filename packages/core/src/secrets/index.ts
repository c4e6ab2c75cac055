// The secrets port and what core provides around it; the OS keychain adapter lives in the CLI (native module).
export { chooseBackend, SECRET_BACKENDS } from './backends.js';
export { FileVault, type FileVaultOptions } from './file-vault.js';
export { MemorySecretStore } from './memory-store.js';
export { scopedSecrets } from './scoped-secrets.js';
export {
  assertSecretKey,
  describeScope,
  type SecretBackend,
  type SecretScope,
  type SecretStore,
  serviceName,
} from './secret-store.js';
export { KEYCHAIN_HINT, README_SECRETS, SecretStoreError, VAULT_HINT } from './secret-store-error.js';
export { withTimeout } from './with-timeout.js';
