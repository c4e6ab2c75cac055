export {
  type ActivationRecord,
  type ContributionKind,
  PluginHost,
  type PluginInfo,
  type PluginState,
} from './plugin-host.js';
