import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
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
 * The first part of every keychain service name Lifeboat uses. A home set with LIFEBOAT_HOME is one independent
 * Lifeboat (its own config, catalog and vault), so its secrets get their own namespace too: two homes never read or
 * overwrite each other's passwords. The default home keeps the plain `lifeboat`.
 */
export function keychainPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.LIFEBOAT_HOME;
  if (!home) return 'lifeboat';
  return `lifeboat@${createHash('sha256').update(resolve(home)).digest('hex').slice(0, 12)}`;
}
