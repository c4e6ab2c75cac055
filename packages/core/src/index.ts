// The public API of @lifeboat/core, for the CLI and TUI. It re-exports the plugin API (@lifeboat/plugin-api) so
// they need one import; plugins import @lifeboat/plugin-api alone.
export * from '@lifeboat/plugin-api';
export { albumPaths, entryInAlbum, sourcePath } from './album-view/index.js';
export * from './catalog/index.js';
export * from './config/index.js';
export * from './dest-index/index.js';
export * from './encryption/index.js';
export * from './engine/index.js';
export type { LockOptions } from './engine/run-lock.js';
export * from './host/index.js';
export * from './layout/index.js';
export * from './notify/index.js';
export * from './offload/index.js';
export * from './pick/index.js';
export * from './planner/index.js';
export * from './restore/index.js';
export * from './schedule/index.js';
export * from './secrets/index.js';
export { childEnv } from './util/child-env.js';
export { makeDirs, makeDirsSync } from './util/make-dirs.js';
export * from './verify/index.js';
