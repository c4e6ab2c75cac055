import type { Destination } from './destination.js';
import type { Source } from './source.js';

/** The plugin API version this core implements; a plugin's manifest declares the semver range it supports. */
// 1.1.0: the optional Source.moveToTrash (additive: 1.0 plugins keep working, 1.1 plugins run on 1.0 hosts).
// 1.2.0: SourceListOptions.albumsLater and Asset.albumsPending (additive: a source may send albums after its assets).
// 1.3.0: ContributionManifest.optionalSecrets (additive: a secret the user may leave out; the plugin then gets undefined).
// 1.3.0: ErrorCode.PluginTimeout (additive: core's code for a plugin call that passed its deadline).
// 1.3.0: WriteOptions.modifiedAt (additive: a destination that ignores it keeps working; core sends the capture time).
//        also AlbumsUpdate.albumFolders, and the optional Destination.link/unlink with DestinationDescription.albumView
//        for album views (additive).
export const PLUGIN_API_VERSION = '1.3.0';

export type JsonSchema = Record<string, unknown>;

/** One source or destination type a plugin contributes, as declared in its manifest. */
export interface ContributionManifest {
  /** Type name used on the command line: `lifeboat destination add <type> ...`. */
  type: string;
  title: string;
  description?: string;
  /** JSON schema (draft 2020-12 subset) of the settings object. */
  settings: JsonSchema;
  /** Names of settings that are secrets: kept in the keychain, never in config files. Each one is required. */
  secrets?: string[];
  /**
   * (API 1.3) Secrets the user may leave out, kept like `secrets` when given: a WebDAV server without sign-in
   * needs no password. Lifeboat does not ask for them; the plugin's `secrets.get(name)` resolves `undefined`.
   */
  optionalSecrets?: string[];
}

/** The `lifeboat` key of a plugin's package.json. Read and validated without importing plugin code. */
export interface PluginManifest {
  id: string;
  displayName: string;
  /** Semver range of PLUGIN_API_VERSION the plugin supports, e.g. `^1.0.0`. */
  apiVersion: string;
  /** Entry module, relative to the package folder. */
  main: string;
  contributes: {
    sources?: ContributionManifest[];
    destinations?: ContributionManifest[];
  };
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Secrets of one configured source or destination, scoped so a plugin reads only its own. */
export interface ScopedSecrets {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a plugin's `activate` receives: deliberately narrow. */
export interface PluginContext {
  pluginId: string;
  logger: Logger;
  /** A folder the plugin may keep state in (under Lifeboat's state root). */
  storageDir: string;
  signal: AbortSignal;
  /** Functions run when the host shuts down. */
  onDispose(dispose: () => void | Promise<void>): void;
}

/** What a source or destination factory receives for one configured instance. */
export interface InstanceContext {
  /** The user's name for this instance (`drive-a`). */
  name: string;
  logger: Logger;
  secrets: ScopedSecrets;
  signal: AbortSignal;
}

export type Settings = Record<string, unknown>;

/** A way the user can receive a verification code (a trusted device, a phone number for an SMS). */
export interface CodeMethod {
  id: string;
  label: string;
}

/**
 * What `lifeboat login` (or the TUI) offers a source that signs in interactively. The answers come from the
 * user: a prompt on a terminal, or `--password-stdin` / `--code` in scripts.
 */
export interface LoginPrompts {
  /** The account password; never stored by the caller. */
  password(message: string): Promise<string>;
  /**
   * A verification code. `methods` lists other ways to get one (e.g. SMS to a phone); the answer is either the
   * code, or the method the user picked instead (the source then sends the code that way and asks again).
   */
  code(request: { message: string; methods: CodeMethod[] }): Promise<{ code: string } | { method: string }>;
  info(message: string): void;
}

export interface SourceFactory {
  create(settings: Settings, context: InstanceContext): Promise<Source> | Source;
  /**
   * Interactive sign-in for sources that need one (iCloud): keeps what it obtains (session, trust token) in
   * `context.secrets`, so later runs need no prompt until the session expires.
   */
  login?(settings: Settings, context: InstanceContext, prompts: LoginPrompts): Promise<void>;
}

export interface DestinationFactory {
  create(settings: Settings, context: InstanceContext): Promise<Destination> | Destination;
}

/** What `activate` returns: factories keyed by the types declared in the manifest. */
export interface PluginContributions {
  sources?: Record<string, SourceFactory>;
  destinations?: Record<string, DestinationFactory>;
}

/** The shape of a plugin's entry module. */
export interface PluginModule {
  activate(context: PluginContext): PluginContributions | Promise<PluginContributions>;
  deactivate?(): void | Promise<void>;
}
