// @lifeboat/plugin-api: everything a Lifeboat plugin may use, and nothing else. Its version is the plugin API's
// version (PLUGIN_API_VERSION): a plugin's manifest `apiVersion` and its peer range on this package follow it.
export * from './api/index.js';
export * from './errors/index.js';
export { DEFAULT_LAYOUT, LAYOUT_PLACEHOLDERS, type LayoutPlaceholder, validateLayout } from './layout/layout.js';
export {
  escapeInvalidUtf8,
  isValidUtf8,
  originalNameOf,
  rawAssetId,
  rawRelativePath,
} from './layout/raw-names.js';
export { type LoadedManifest, readManifest } from './manifest/manifest.js';
export { validateSettings } from './manifest/settings.js';
export * from './toolkit/index.js';
