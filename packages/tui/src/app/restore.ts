import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type ConfigStore,
  type Destination,
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
import { TOKENS } from './tokens.js';

/** Where to restore from: a configured destination, a backup folder, or an unconfigured destination's type. */
export interface RestoreFrom {
  from?: string;
  /** An unconfigured destination: its type, settings (`key=value`) and secrets, as for `destination add`. */
  type?: string;
  set: string[];
  secret: string[];
}

export interface RestoreRequest extends RestoreFrom {
  to: string;
  since?: string;
  until?: string;
  match?: string;
  /** Only this album's photos: its name, or `Folder/Album`. */
  album?: string;
}

/** Restoring copies from one destination, using only the destination's own index. */
@injectable()
export class RestoreService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(Plugins) private readonly plugins: Plugins,
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
    const from = args.from;
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
    const destination = await this.open(args, options.signal, options.secret);
    // A missing marker means the drive is not there (refused, as for a run); a damaged one does not stop a restore:
    // the index and the files are what a restore needs, and each file is checked against its sha256 anyway.
    const marker = await inspectMarker(destination);
    if (marker.state === 'missing') await requireMarker(destination, args.from ?? args.type ?? 'restore');
    if (marker.state === 'damaged') options.onDamagedMarker?.(marker.error);
    // A pattern without a `/` matches file names; one with a `/` matches whole paths (picomatch's `basename`
    // option would match only the last segment even then).
    const glob = args.match ? picomatch(args.match, { basename: !args.match.includes('/'), nocase: false }) : undefined;
    const album = args.album;
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
        ...(glob || album ? { match: (e) => matches(e) && (album === undefined || entryInAlbum(e, album)) } : {}),
      },
      signal: options.signal,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  }
}

const noSecret = (what: string): Promise<string> =>
  Promise.reject(new UsageError(`No value for ${what}`, { hint: 'Restore from a configured destination instead' }));
