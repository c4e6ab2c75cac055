import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog, type ConfigStore, PluginHost } from '@lifeboat/core';
import { container, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { ConfConfigStore } from './state/conf-store.js';
import { userPluginDirs } from './state/user-plugins.js';
import { fileLogger } from './state/file-logger.js';
import { resolveStatePaths, type StatePaths } from './state/paths.js';

// Tokens rather than classes, so registrations work without decorator metadata (tsx, vitest, plain node).
export const TOKENS = {
  paths: Symbol('StatePaths'),
  config: Symbol('ConfigStore'),
  catalog: Symbol('Catalog'),
  host: Symbol('PluginHost'),
} as const;

/** The plugins that ship with Lifeboat; they load through the same host as third-party ones. */
export const BUILTIN_PLUGINS = ['@lifeboat/plugin-disk'];

function packageDir(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
}

/**
 * The composition root: the one place that decides which implementation serves each port. Core and plugins
 * receive their dependencies; nothing below reaches for globals.
 */
export function createContainer(env: NodeJS.ProcessEnv = process.env): DependencyContainer {
  const c = container.createChildContainer();
  const paths = resolveStatePaths(env);
  c.register(TOKENS.paths, { useValue: paths });
  c.register(TOKENS.config, { useFactory: instanceCachingFactory(() => new ConfConfigStore(paths.configDir)) });
  c.register(TOKENS.catalog, {
    useFactory: instanceCachingFactory(() => {
      mkdirSync(dirname(paths.catalogFile), { recursive: true });
      const catalog = Catalog.open(paths.catalogFile);
      opened.set(c, catalog);
      return catalog;
    }),
  });
  c.register(TOKENS.host, {
    useFactory: instanceCachingFactory(
      () =>
        new PluginHost({
          storageRoot: paths.pluginsDataDir,
          logger: (id) => fileLogger(paths.logsDir, `plugin:${id}`),
        }),
    ),
  });
  return c;
}

/** The host with every built-in plugin registered (manifests only: no plugin code is imported here). */
export async function pluginHost(c: DependencyContainer): Promise<PluginHost> {
  const host = c.resolve<PluginHost>(TOKENS.host);
  if (host.list().length === 0) {
    for (const name of BUILTIN_PLUGINS) await host.register(packageDir(name), true);
    for (const dir of await userPluginDirs(resolvePaths(c).pluginsDir)) await host.register(dir, false);
  }
  return host;
}

const opened = new WeakMap<DependencyContainer, Catalog>();

/** Closes the catalog if this container opened one (checkpoints the WAL). */
export function closeCatalog(c: DependencyContainer): void {
  opened.get(c)?.close();
  opened.delete(c);
}

export const resolvePaths = (c: DependencyContainer) => c.resolve<StatePaths>(TOKENS.paths);
export const resolveConfig = (c: DependencyContainer) => c.resolve<ConfigStore>(TOKENS.config);
export const resolveCatalog = (c: DependencyContainer) => c.resolve<Catalog>(TOKENS.catalog);
