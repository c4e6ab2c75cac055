import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Catalog,
  type ConfigStore,
  type Destination,
  ENCRYPTION_PASSWORD,
  entryInAlbum,
  type IndexEntry,
  inspectMarker,
  type LifeboatError,
  MemorySecretStore,
  parseSetOptions,
  type RestoreEvent,
  type RestoreSummary,
  requireMarker,
  restoreFromDestination,
  restoreListedObjects,
  sourcePath,
  UsageError,
  validateSettings,
} from '@lifeboat/core';
import picomatch from 'picomatch';
import { fileLogger } from '../state/file-logger.js';
import { instanceContext, normalizePaths } from '../state/instances.js';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';

/** Where to restore from: a configured destination, a backup folder, or an unconfigured destination's type. */
export interface RestoreFrom {
  from?: string;
  /** An unconfigured destination: its type, settings (`key=value`) and secrets, as for `destination add`. */
  type?: string;
  set: string[];
  secret: string[];
  /**
   * The store was written by `rclone copy` into a crypt remote (no Lifeboat index): its password is asked for,
   * names and bodies are decrypted, and every file it holds is restored.
   */
  rcloneCrypt?: boolean;
}

export interface RestoreRequest extends RestoreFrom {
  to: string;
  since?: string;
  until?: string;
  match?: string;
  /** Only the photos `offload` moved out of their source (the catalog's offload ledger). */
  offloaded?: boolean;
  /** With `offloaded`: only those moved on or after this day (YYYY-MM-DD). */
  offloadedSince?: string;
  /** Only the photos of these albums (any of them): a name, or `Folder/Album`. */
  album?: string[];
}

/** Restoring copies from one destination, using only the destination's own index. */
@injectable()
export class RestoreService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
  ) {}

  /**
   * Which destination to restore from: a configured one by name; or, with no local state (a new machine), the
   * destination itself: a folder path (a disk destination), or `type` with its settings and secrets (`secret`
   * asks for each value), which are held in memory for this restore only and never saved.
   */
  async open(
    args: RestoreFrom,
    signal: AbortSignal,
    secret: (what: string) => Promise<string> = noSecret,
  ): Promise<Destination> {
    const host = await this.plugins.host();
    const from = args.from;
    if (args.rcloneCrypt) args = rcloneCryptArgs(args, from !== undefined && !this.config.read().destinations[from]);
    if (args.type) {
      const { contribution, pluginId } = host.contribution('destination', args.type);
      const given = parseSetOptions(args.set);
      const settings = normalizePaths(contribution, validateSettings('destination', contribution, given));
      const secrets = new MemorySecretStore();
      const scope = { pluginId, kind: 'destination' as const, name: 'restore' };
      for (const key of args.secret) await secrets.set(scope, key, await secret(`${args.type} ${key}`));
      const ctx = instanceContext(secrets, scope, fileLogger(this.paths.logsDir, 'restore'), signal);
      return this.plugins.create('destination', 'restore', { type: args.type, settings }, ctx);
    }
    if (!from) {
      throw new UsageError('Say where to restore from', {
        hint: '--from <destination name or backup folder>, or --type <type> --set key=value ... for another kind',
      });
    }
    const configured = this.config.read().destinations[from];
    if (configured) return this.plugins.open('destination', from, configured, signal);
    if (existsSync(from) && statSync(from).isDirectory()) {
      const ctx = await this.plugins.context('destination', 'restore', 'disk', signal);
      return this.plugins.create('destination', from, { type: 'disk', settings: { path: resolve(from) } }, ctx);
    }
    throw new UsageError(`"${from}" is neither a configured destination nor a folder`, {
      hint: 'Give a destination name from `lifeboat destination list`, the path of a backup folder, or --type with its settings',
    });
  }

  /** Restores the copies the request matches into `to`; every file is checked against its sha256 first. */
  async restore(
    args: RestoreRequest,
    options: {
      signal: AbortSignal;
      onEvent?: (e: RestoreEvent) => void;
      secret?: (what: string) => Promise<string>;
      /** Told when the marker is damaged: the restore goes on from the index. */
      onDamagedMarker?: (error: LifeboatError) => void;
    },
  ): Promise<RestoreSummary> {
    const offloaded = args.offloaded || args.offloadedSince ? this.#offloaded(args.offloadedSince) : undefined;
    const destination = await this.open(args, options.signal, options.secret);
    // A pattern without a `/` matches file names; one with a `/` matches whole paths (picomatch's `basename`
    // option would match only the last segment even then).
    const glob = args.match ? picomatch(args.match, { basename: !args.match.includes('/'), nocase: false }) : undefined;
    if (args.rcloneCrypt) {
      if (offloaded || args.since || args.until || args.album?.length) {
        throw new UsageError('--rclone-crypt restores by file name only', {
          hint: 'A store rclone wrote has no Lifeboat index (no dates, albums or offload ledger): use --match <glob>',
        });
      }
      return restoreListedObjects({
        destination,
        to: resolve(args.to),
        ...(glob ? { match: (key: string) => glob(key) } : {}),
        signal: options.signal,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
    }
    // A missing marker means the drive is not there (refused, as for a run); a damaged one does not stop a restore:
    // the index and the files are what a restore needs, and each file is checked against its sha256 anyway.
    const marker = await inspectMarker(destination);
    if (marker.state === 'missing') await requireMarker(destination, args.from ?? args.type ?? 'restore');
    if (marker.state === 'damaged') options.onDamagedMarker?.(marker.error);
    const albums = args.album?.length ? args.album : undefined;
    // --match tries the copy's key, then the path the file had in its source (`Trip 2024/IMG_0001.jpg`).
    const matches = (e: IndexEntry) => {
      const path = sourcePath(e);
      return !glob || glob(e.key) || (path !== undefined && glob(path));
    };
    return restoreFromDestination({
      destination,
      to: resolve(args.to),
      filter: {
        ...(args.since ? { since: args.since } : {}),
        ...(args.until ? { until: args.until } : {}),
        ...(glob || albums || offloaded
          ? {
              match: (e) =>
                matches(e) &&
                (!albums || albums.some((a) => entryInAlbum(e, a))) &&
                (!offloaded || offloaded.has(`${e.source}\0${e.assetId}`)),
            }
          : {}),
      },
      signal: options.signal,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  }

  /** The source and asset of every offloaded photo (moved on or after `since`), from the catalog's ledger. */
  #offloaded(since: string | undefined): Set<string> {
    const records = this.catalog().offloads(undefined, since);
    if (records.length === 0) {
      throw new UsageError(
        `No photo was offloaded${since ? ` since ${since}` : ''} according to this machine's catalog`,
        {
          hint: '`lifeboat status` shows the offloaded totals; restore without --offloaded to restore by date or name',
        },
      );
    }
    return new Set(records.map((r) => `${r.source}\0${r.assetId}`));
  }
}

/**
 * A restore from what rclone wrote: `encryption=rclone-crypt` on the given type (a folder path becomes a disk
 * destination) and the password asked for, unless the command line already says otherwise. A configured
 * destination keeps its own settings and keychain passwords.
 */
function rcloneCryptArgs(args: RestoreFrom, unconfigured: boolean): RestoreFrom {
  if (!args.type && !unconfigured) return args;
  const set = [...args.set];
  const type = args.type ?? 'disk';
  if (!args.type && args.from) set.push(`path=${args.from}`);
  if (!set.some((s) => s.startsWith('encryption='))) set.push('encryption=rclone-crypt');
  const secret = args.secret.includes(ENCRYPTION_PASSWORD) ? args.secret : [...args.secret, ENCRYPTION_PASSWORD];
  return { ...args, type, set, secret };
}

const noSecret = (what: string): Promise<string> =>
  Promise.reject(new UsageError(`No value for ${what}`, { hint: 'Restore from a configured destination instead' }));
