// The public API of @lifeboat/core. Plugins use the contracts (api, errors); the CLI and TUI use the rest.
export * from './api/index.js';
export * from './catalog/index.js';
export * from './config/index.js';
export * from './dest-index/index.js';
export * from './engine/index.js';
export type { LockOptions } from './engine/run-lock.js';
export * from './errors/index.js';
export * from './host/index.js';
export * from './layout/index.js';
export * from './notify/index.js';
export * from './planner/index.js';
export * from './restore/index.js';
export * from './schedule/index.js';
export * from './secrets/index.js';
export * from './toolkit/index.js';
export { makeDirs, makeDirsSync } from './util/make-dirs.js';
export { type TempOwner, tempOwner, tempOwnerTag, UNKNOWN_OWNER_STALE_MS } from './util/temp-owner.js';
export * from './verify/index.js';
