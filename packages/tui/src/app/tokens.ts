/** A dependency made on first use: opening the catalog or the secret store costs I/O some commands never need. */
export type Lazy<T> = () => T;

/**
 * Injection tokens for the ports the composition root (container.ts) fills: services ask for these in their
 * constructors with `@inject(TOKENS.x)`. Symbols rather than classes, so interfaces (ConfigStore, SecretStore) can be
 * injected, and so a service never needs decorator type metadata to be wired.
 */
export const TOKENS = {
  /** StatePaths: where config, catalog, locks, logs and plugins live. */
  paths: Symbol('StatePaths'),
  /** ConfigStore: the config file. */
  config: Symbol('ConfigStore'),
  /** Lazy<Catalog>: the local record of copies and runs, opened on first use. */
  catalog: Symbol('Catalog'),
  /** PluginHost: the plugin host, before any plugin is registered. */
  host: Symbol('PluginHost'),
  /** Lazy<SecretStore>: the OS keychain or the vault, chosen on first use (a bad LIFEBOAT_SECRETS fails only then). */
  secrets: Symbol('SecretStore'),
  /** string[]: folders of the plugins that ship with Lifeboat. */
  builtinPlugins: Symbol('BuiltinPlugins'),
} as const;
