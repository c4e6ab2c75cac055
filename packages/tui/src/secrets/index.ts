export { type CreateSecretStoreOptions, createSecretStore } from './create-secret-store.js';
export { INDEX_ACCOUNT, type KeytarLike, KeytarStore, type KeytarStoreOptions, loadKeytar } from './keytar-store.js';
