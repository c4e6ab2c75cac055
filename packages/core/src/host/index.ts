export { type LoadedManifest, readManifest } from './manifest.js';
export { type ContributionKind, PluginHost, type PluginInfo, type PluginState } from './plugin-host.js';
