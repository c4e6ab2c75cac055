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
  /** Catalog: the local record of copies and runs (opened on first use). */
  catalog: Symbol('Catalog'),
  /** PluginHost: the plugin host, before any plugin is registered. */
  host: Symbol('PluginHost'),
  /** SecretStore: the OS keychain or the vault. */
  secrets: Symbol('SecretStore'),
  /** string[]: folders of the plugins that ship with Lifeboat. */
  builtinPlugins: Symbol('BuiltinPlugins'),
} as const;
