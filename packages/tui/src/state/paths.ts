import { join } from 'node:path';
import { UsageError } from '@lifeboat/core';
import envPaths from 'env-paths';

/** Where Lifeboat keeps its state: one folder when LIFEBOAT_HOME is set, else the OS's config and data folders. */
export interface StatePaths {
  configDir: string;
  configFile: string;
  catalogFile: string;
  locksDir: string;
  logsDir: string;
  pluginsDataDir: string;
  pluginsDir: string;
  secretsVault: string;
}

export function resolveStatePaths(env: NodeJS.ProcessEnv = process.env): StatePaths {
  const home = env.LIFEBOAT_HOME;
  const os = envPaths('lifeboat', { suffix: '' });
  const configDir = home ?? os.config;
  const dataDir = home ?? os.data;
  return {
    configDir,
    configFile: join(configDir, 'config.json'),
    catalogFile: join(dataDir, 'catalog.sqlite'),
    locksDir: join(dataDir, 'locks'),
    logsDir: join(dataDir, 'logs'),
    pluginsDataDir: join(dataDir, 'plugin-data'),
    pluginsDir: join(dataDir, 'plugins'),
    secretsVault: join(dataDir, 'secrets.vault'),
  };
}

/**
 * The first part of every keychain service name Lifeboat uses: `lifeboat`, or `lifeboat@<namespace>` with
 * LIFEBOAT_KEYCHAIN_NAMESPACE, for several independent Lifeboats under one user (a trial set-up beside the real
 * one, test suites running in parallel) whose secrets must not meet. Homes without it share the keychain entries,
 * so a fresh LIFEBOAT_HOME finds the sign-ins an earlier one saved.
 */
export function keychainPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const namespace = env.LIFEBOAT_KEYCHAIN_NAMESPACE?.trim();
  if (!namespace) return 'lifeboat';
  if (!/^[\w.-]{1,64}$/.test(namespace)) {
    throw new UsageError(`LIFEBOAT_KEYCHAIN_NAMESPACE "${namespace}" is not a usable name`, {
      hint: 'Use up to 64 letters, digits, dots, dashes or underscores, or unset it',
    });
  }
  return `lifeboat@${namespace}`;
}
