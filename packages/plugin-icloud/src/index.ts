/**
 * Lifeboat's iCloud Photos plugin: the `icloud` source. Declared in package.json's `lifeboat` key; the host
 * calls `activate`. Sign-in is interactive (`lifeboat login <source>`); runs reuse the session kept in the keychain.
 */
import type { PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { createIcloudSourceFactory } from './factory.js';
import { withHealth } from './health.js';

export function activate(context: PluginContext): PluginContributions {
  return { sources: { icloud: withHealth(createIcloudSourceFactory({ storageDir: context.storageDir })) } };
}

export { type Endpoints, endpointsFor, type IcloudDomain } from './auth/endpoints.js';
export { IcloudSession, SECRET_KEYS } from './auth/session.js';
export { derivePasswordKey, type SrpProtocol } from './auth/srp.js';
export { ICLOUD_ERRORS, IcloudError, type IcloudErrorCode } from './errors.js';
export { createIcloudSourceFactory } from './factory.js';
export { icloudHealth, LOGIN_WARN_DAYS, TRUST_LIFETIME_DAYS, TRUSTED_AT_KEY, withHealth } from './health.js';
export { IcloudSource, type IcloudSourceDeps } from './icloud-source.js';
export { DEFAULT_INCLUDE, type IcloudSourceOptions, type IncludeOptions, icloudSourceOptions } from './settings.js';
