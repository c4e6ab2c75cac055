import 'reflect-metadata';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Catalog, chooseBackend, makeDirsSync, PluginHost, type SecretStore, UsageError } from '@lifeboat/core';
import { container, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { BrowseService } from './app/browse.js';
import { CheckService } from './app/check.js';
import { DaemonServices } from './app/daemon-services.js';
import { DashboardService } from './app/dashboard.js';
import { DestinationFacts } from './app/destination-facts.js';
import { DestinationInfo } from './app/destination-show.js';
import { DryRunService } from './app/dry-run.js';
import { HealthService } from './app/health.js';
import { InstanceEditService } from './app/instance-edit.js';
import { InstanceService } from './app/instances.js';
import { MetricsService } from './app/metrics.js';
import { OffloadService } from './app/offload.js';
import { PlanOpener } from './app/open-plan.js';
import { PassphraseBroker } from './app/passphrase.js';
import { PickService } from './app/pick.js';
import { PlanRunner } from './app/plan-run.js';
import { PlanService } from './app/plans.js';
import { PluginAdmin } from './app/plugin-admin.js';
import { Plugins } from './app/plugins.js';
import { RepairService } from './app/repair.js';
import { RestoreService } from './app/restore.js';
import { RunsService } from './app/runs.js';
import { ScheduleService } from './app/schedule.js';
import { ScheduleActivityService } from './app/schedule-activity.js';
import { AppServices } from './app/services.js';
import { SignInService } from './app/sign-in.js';
import { SourceBrowseService } from './app/source-browse.js';
import { SourceOptionsService } from './app/source-options.js';
import { StatusService } from './app/status.js';
import { type Lazy, TOKENS } from './app/tokens.js';
import { VerifyService } from './app/verify.js';
import { promptHidden } from './output/prompt.js';
import { createSecretStore } from './secrets/index.js';
import { ConfConfigStore } from './state/conf-store.js';
import { fileLogger } from './state/file-logger.js';
import { keychainPrefix, resolveStatePaths } from './state/paths.js';
import { fileActivationRecord } from './state/plugin-activations.js';

export { TOKENS };

/** The plugins that ship with Lifeboat; they load through the same host as third-party ones. */
export const BUILTIN_PLUGINS = ['@lifeboat/plugin-disk', '@lifeboat/plugin-icloud', '@lifeboat/plugin-s3'];

function packageDir(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
}

/** The application services: one of each per container, built by constructor injection. */
const SERVICES = [
  PassphraseBroker,
  Plugins,
  HealthService,
  DashboardService,
  StatusService,
  CheckService,
  InstanceService,
  InstanceEditService,
  SignInService,
  SourceOptionsService,
  DestinationFacts,
  DestinationInfo,
  PluginAdmin,
  PlanOpener,
  PlanRunner,
  PlanService,
  DryRunService,
  OffloadService,
  RestoreService,
  PickService,
  SourceBrowseService,
  BrowseService,
  VerifyService,
  RepairService,
  DaemonServices,
  ScheduleService,
  ScheduleActivityService,
  MetricsService,
  RunsService,
  AppServices,
] as const;

/**
 * The composition root: the one place that decides which implementation serves each port and that touches the
 * container. Services receive their dependencies through their constructors; nothing below reaches for globals.
 */
export function createContainer(env: NodeJS.ProcessEnv = process.env): DependencyContainer {
  const c = container.createChildContainer();
  const paths = resolveStatePaths(env);
  c.register(TOKENS.paths, { useValue: paths });
  c.register(TOKENS.config, { useFactory: instanceCachingFactory(() => new ConfConfigStore(paths.configDir)) });
  c.register(TOKENS.catalog, {
    useValue: once(() => {
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
  c.register(TOKENS.builtinPlugins, { useFactory: instanceCachingFactory(() => BUILTIN_PLUGINS.map(packageDir)) });
  // Created on first use: keytar (a native module) loads only when a secret is actually needed.
  c.register(TOKENS.secrets, { useValue: once(() => secretStoreFor(env, c.resolve(PassphraseBroker))) });
  for (const service of SERVICES) c.registerSingleton<unknown>(service);
  return c;
}

/** The secret store Lifeboat uses with this environment: the OS keychain, or the vault LIFEBOAT_SECRETS chooses. */
export function secretStoreFor(env: NodeJS.ProcessEnv = process.env, broker?: PassphraseBroker): SecretStore {
  const vaultPath = resolveStatePaths(env).secretsVault;
  return createSecretStore({
    backend: chooseBackend(env),
    vaultPath,
    keychainPrefix: keychainPrefix(env),
    passphrase: () => vaultPassphrase(env, vaultPath, broker),
  });
}

/** Made on the first call, then the same one (a failed attempt is tried again next time). */
function once<T>(make: () => T): Lazy<T> {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * The vault passphrase: LIFEBOAT_VAULT_PASSPHRASE (for unattended runs), else the terminal UI's own screen when it
 * is open, else a hidden prompt.
 */
async function vaultPassphrase(env: NodeJS.ProcessEnv, vaultPath: string, broker?: PassphraseBroker): Promise<string> {
  if (env.LIFEBOAT_VAULT_PASSPHRASE) return env.LIFEBOAT_VAULT_PASSPHRASE;
  if (broker?.attached) return broker.ask(vaultPath);
  if (!process.stdin.isTTY) {
    throw new UsageError('The secrets vault needs its passphrase', {
      hint: 'Set LIFEBOAT_VAULT_PASSPHRASE, or run the command in a terminal to be asked for it',
    });
  }
  return promptHidden('Vault passphrase: ');
}

const opened = new WeakMap<DependencyContainer, Catalog>();

/** Closes the catalog if this container opened one (checkpoints the WAL). */
export function closeCatalog(c: DependencyContainer): void {
  opened.get(c)?.close();
  opened.delete(c);
}
