import 'reflect-metadata';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Catalog,
  type ConfigStore,
  type ContributionKind,
  chooseBackend,
  makeDirsSync,
  PluginHost,
  type SecretStore,
  UsageError,
} from '@lifeboat/core';
import { container, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { promptHidden } from './output/prompt.js';
import { createSecretStore } from './secrets/index.js';
import { ConfConfigStore } from './state/conf-store.js';
import { fileLogger } from './state/file-logger.js';
import { instanceContext } from './state/instances.js';
import { resolveStatePaths, type StatePaths } from './state/paths.js';
import { fileActivationRecord } from './state/plugin-activations.js';
import { userPluginDirs } from './state/user-plugins.js';

// Tokens rather than classes, so registrations work without decorator metadata (tsx, vitest, plain node).
export const TOKENS = {
  paths: Symbol('StatePaths'),
  config: Symbol('ConfigStore'),
  catalog: Symbol('Catalog'),
  host: Symbol('PluginHost'),
  secrets: Symbol('SecretStore'),
} as const;

/** The plugins that ship with Lifeboat; they load through the same host as third-party ones. */
export const BUILTIN_PLUGINS = ['@lifeboat/plugin-disk', '@lifeboat/plugin-icloud', '@lifeboat/plugin-s3'];

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
      makeDirsSync(dirname(paths.catalogFile));
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
          activations: fileActivationRecord(paths.pluginsDir),
        }),
    ),
  });
  // Created on first use: keytar (a native module) loads only when a secret is actually needed.
  c.register(TOKENS.secrets, {
    useFactory: instanceCachingFactory(() =>
      createSecretStore({
        backend: chooseBackend(env),
        vaultPath: paths.secretsVault,
        passphrase: () => vaultPassphrase(env),
      }),
    ),
  });
  return c;
}

/** The vault passphrase: LIFEBOAT_VAULT_PASSPHRASE (for unattended runs), else a hidden prompt. */
async function vaultPassphrase(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.LIFEBOAT_VAULT_PASSPHRASE) return env.LIFEBOAT_VAULT_PASSPHRASE;
  if (!process.stdin.isTTY) {
    throw new UsageError('The secrets vault needs its passphrase', {
      hint: 'Set LIFEBOAT_VAULT_PASSPHRASE, or run the command in a terminal to be asked for it',
    });
  }
  return promptHidden('Vault passphrase: ');
}

/** The context for one configured instance: its plugin's scope of secrets, its own log scope. */
export async function contextFor(
  c: DependencyContainer,
  kind: ContributionKind,
  name: string,
  type: string,
  signal: AbortSignal,
) {
  const { pluginId } = (await pluginHost(c)).contribution(kind, type);
  const store = c.resolve<SecretStore>(TOKENS.secrets);
  return instanceContext(
    store,
    { pluginId, kind, name },
    fileLogger(resolvePaths(c).logsDir, `${kind}:${name}`),
    signal,
  );
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
export const resolveSecrets = (c: DependencyContainer) => c.resolve<SecretStore>(TOKENS.secrets);
