import {
  type Catalog,
  ConfigError,
  type ConfigStore,
  type NamedDestination,
  UsageError,
  type VerifyEvent,
  type VerifyReport,
  type VerifySelection,
  verifyDestination,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';

/** A destination `verify`/`repair` could not check at all (not mounted, no marker, unreachable). */
export interface UnavailableDestination {
  destination: string;
  ok: false;
  error: { code: string; message: string; hint?: string };
}

export type VerifyResult = VerifyReport | UnavailableDestination;

export function parseSelection(sample: string | undefined, all: boolean | undefined): VerifySelection {
  if (sample !== undefined && all) {
    throw new UsageError('--sample and --all cannot be used together', {
      hint: '--all reads every copy; --sample 5 reads the 5% least recently verified',
    });
  }
  if (sample === undefined) return { all: true };
  const percent = Number(sample.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) {
    throw new UsageError(`--sample ${sample} is not a percentage`, {
      hint: 'Give a number above 0 and up to 100, e.g. --sample 5',
    });
  }
  return { samplePercent: percent };
}

export function errorOf(name: string, error: unknown): UnavailableDestination {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  return {
    destination: name,
    ok: false,
    error: {
      code: typeof e?.code === 'string' && e.code.startsWith('LIFEBOAT_') ? e.code : 'LIFEBOAT_ERROR',
      message: typeof e?.message === 'string' ? e.message : String(error),
      ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
    },
  };
}

/** Reading copies back and checking their size and sha256. */
@injectable()
export class VerifyService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /** The destinations a `<destination|plan>` argument names: a destination first, else every one of a plan. */
  targets(target: string): { kind: 'destination' | 'plan'; names: string[] } {
    const config = this.config.read();
    if (config.destinations[target]) return { kind: 'destination', names: [target] };
    const plan = config.plans[target];
    if (plan) return { kind: 'plan', names: [...plan.destinations] };
    throw new ConfigError(`"${target}" is neither a destination nor a plan`, {
      hint: `Destinations: ${Object.keys(config.destinations).join(', ') || '(none)'}; plans: ${Object.keys(config.plans).join(', ') || '(none)'}`,
    });
  }

  /** Creates a configured destination through the plugin host. */
  async openDestination(name: string, signal: AbortSignal): Promise<NamedDestination> {
    const cfg = this.config.read().destinations[name];
    if (!cfg) {
      throw new ConfigError(`Destination "${name}" is not configured`, { hint: 'See `lifeboat destination list`' });
    }
    return { name, destination: await this.plugins.open('destination', name, cfg, signal) };
  }

  /** Verifies each named destination in turn; one that cannot be checked is reported and the others still are. */
  async verify(
    names: string[],
    selection: VerifySelection,
    signal: AbortSignal,
    onEvent?: (destination: string, e: VerifyEvent) => void,
  ): Promise<VerifyResult[]> {
    const results: VerifyResult[] = [];
    for (const name of names) {
      if (signal.aborted) break;
      try {
        const target = await this.openDestination(name, signal);
        const report = await verifyDestination({
          ...target,
          catalog: this.catalog(),
          selection,
          signal,
          ...(onEvent ? { onEvent: (e: VerifyEvent) => onEvent(name, e) } : {}),
        });
        results.push(report);
      } catch (error) {
        results.push(errorOf(name, error));
      }
    }
    return results;
  }

  /**
   * A scheduled scrub: reads back `samplePercent` of every destination of `plan`, least recently verified first,
   * so successive scrubs cover everything.
   */
  async scrub(
    plan: string,
    samplePercent: number,
    signal: AbortSignal,
  ): Promise<{ ok: boolean; results: VerifyResult[] }> {
    const config = this.config.read().plans[plan];
    if (!config) throw new ConfigError(`No plan named "${plan}"`, { hint: 'See `lifeboat plan show`' });
    const selection = parseSelection(String(samplePercent), false);
    const results = await this.verify([...config.destinations], selection, signal);
    return { ok: results.every((r) => r.ok) && !signal.aborted, results };
  }
}
