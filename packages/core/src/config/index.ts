export {
  CONFIG_SCHEMA,
  type ConfigStore,
  type InstanceConfig,
  type LifeboatConfig,
  NAME_PATTERN,
  type NotifyConfig,
  type PlanConfig,
} from './model.js';
export { parseSetOptions } from './set-options.js';
