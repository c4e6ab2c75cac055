import { hostname } from 'node:os';
import {
  assetsOffloaded,
  type Catalog,
  ConfigError,
  type ConfigStore,
  describeError,
  type HookOutcome,
  type NotifyEvent,
  type OffloadResult,
  type OffloadRule,
  type OffloadTarget,
  requireMarker,
  runOffload,
  type SecretStore,
  sendNotification,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';

export interface OffloadRequest {
  source: string;
  rule: Omit<OffloadRule, 'now'>;
  max?: number;
  /** Without it, a dry run: nothing is read back and nothing is sent to the source. */
  yes: boolean;
}

export interface OffloadOutcome extends OffloadResult {
  /** Destinations that could not be opened now: their copies do not vouch for anything. */
  unreachable: { name: string; reason: string }[];
  /** The `assets-offloaded` events sent (one per plan with notifications that backs up the source). */
  notified: { plan: string; event: NotifyEvent; outcomes: HookOutcome[] }[];
}

/**
 * `offload`: frees space in a source by moving to its trash only the assets whose copies on the configured
 * destinations satisfy 3-2-1 without it (core's offload/). Every configured destination is opened (read-only) so
 * reachability counts; the source is opened only to move.
 */
@injectable()
export class OffloadService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(TOKENS.secrets) private readonly secrets: Lazy<SecretStore>,
  ) {}

  async offload(
    request: OffloadRequest,
    signal: AbortSignal,
    onMoved?: (moved: number, total: number) => void,
  ): Promise<OffloadOutcome> {
    const config = this.config.read();
    const sourceConfig = config.sources[request.source];
    if (!sourceConfig) {
      throw new ConfigError(`Source "${request.source}" is not configured`, {
        hint: `Sources: ${Object.keys(config.sources).join(', ') || '(none)'}`,
      });
    }
    await this.plugins.host();
    const targets: OffloadTarget[] = [];
    const unreachable: OffloadOutcome['unreachable'] = [];
    const closers: Array<() => Promise<void>> = [];
    try {
      for (const [name, cfg] of Object.entries(config.destinations)) {
        try {
          const destination = await this.plugins.open('destination', name, cfg, signal);
          closers.push(async () => destination.close?.());
          await requireMarker(destination, name);
          targets.push({ name, destination, description: await destination.describe(), reachable: true });
        } catch (error) {
          unreachable.push({ name, reason: describeError(error) });
          // Its copies cannot vouch whatever it is. Its description, for telling "unreachable" from "not 3-2-1",
          // comes from its settings, giving it the benefit of the doubt: unplugging it is then the reason said.
          const settings = cfg.settings as { medium?: unknown; offsite?: unknown };
          const medium = typeof settings.medium === 'string' ? settings.medium : `unreachable:${name}`;
          targets.push({ name, description: { medium, offsite: settings.offsite !== false }, reachable: false });
        }
      }
      const source = await this.plugins.open('source', request.source, sourceConfig, signal);
      closers.push(async () => source.close?.());
      const result = await runOffload({
        catalog: this.catalog(),
        sourceName: request.source,
        source,
        destinations: targets,
        rule: { ...request.rule, now: new Date() },
        move: request.yes,
        signal,
        ...(request.max === undefined ? {} : { max: request.max }),
        ...(onMoved ? { onMoved } : {}),
      });
      return { ...result, unreachable, notified: await this.#notify(request.source, result) };
    } finally {
      for (const close of closers) await close().catch(() => {});
    }
  }

  /** Tells every plan backing up `source` (with notifications set) what was moved; nothing when nothing was. */
  async #notify(source: string, result: OffloadResult): Promise<OffloadOutcome['notified']> {
    if (result.moved.length === 0) return [];
    const moved = {
      count: result.moved.length,
      bytes: result.moved.reduce((n, d) => n + d.bytes, 0),
      stopped: result.stopped !== undefined,
    };
    const notified: OffloadOutcome['notified'] = [];
    for (const [plan, config] of Object.entries(this.config.read().plans)) {
      if (!config.notify || !config.sources.includes(source)) continue;
      const event = assetsOffloaded(
        { version: 1, plan, at: new Date().toISOString(), host: hostname() },
        source,
        moved,
      );
      notified.push({
        plan,
        event,
        outcomes: await sendNotification(config.notify, event, { secrets: this.secrets() }),
      });
    }
    return notified;
  }
}
