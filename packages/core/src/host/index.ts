export { CallGuard, DEFAULT_CALL_TIMEOUT_MS, PluginTimeoutError } from './call-guard.js';
export { GuardedDestination, GuardedSource } from './guarded.js';
export {
  type ActivationRecord,
  type ContributionKind,
  PluginHost,
  type PluginInfo,
  type PluginState,
} from './plugin-host.js';
