import {
  acquireLock,
  type Catalog,
  type ConfigStore,
  type NamedDestination,
  type RepairOptions,
  type RepairReport,
  repairDestinations,
  type Source,
} from '@lifeboat/core';
import type { StatePaths } from '../state/paths.js';
import { inject, injectable } from './di.js';
import { planLockPath } from './plan-run.js';
import { Plugins } from './plugins.js';
import { type Lazy, TOKENS } from './tokens.js';
import { errorOf, type UnavailableDestination, VerifyService } from './verify.js';

export interface RepairOutcome {
  report: RepairReport;
  /** Destinations of the target that could not be opened at all. */
  unavailable: UnavailableDestination[];
  /** Nothing is left to repair. */
  ok: boolean;
}

/** Re-creating missing or damaged copies. */
@injectable()
export class RepairService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>,
    @inject(TOKENS.paths) private readonly paths: StatePaths,
    @inject(Plugins) private readonly plugins: Plugins,
    @inject(VerifyService) private readonly verifier: VerifyService,
  ) {}

  /**
   * Verifies a destination (or every one of a plan) in full, then re-creates every missing or damaged copy from a
   * healthy copy on any other configured destination, else from the source.
   */
  async repair(
    target: string,
    options: { signal: AbortSignal; onEvent?: RepairOptions['onEvent'] },
  ): Promise<RepairOutcome> {
    const { kind, names } = this.verifier.targets(target);
    const { signal } = options;
    // A plan's repair holds the plan's lock, so a backup run of it and its repair never interleave.
    const release =
      kind === 'plan' ? await acquireLock(planLockPath(this.paths, target), `Plan "${target}"`) : undefined;
    try {
      const targets: NamedDestination[] = [];
      const unavailable: UnavailableDestination[] = [];
      for (const name of names) {
        try {
          targets.push(await this.verifier.openDestination(name, signal));
        } catch (error) {
          unavailable.push(errorOf(name, error));
        }
      }
      // Every configured destination may hold a healthy copy, in the plan or not.
      const donors: NamedDestination[] = [...targets];
      for (const name of Object.keys(this.config.read().destinations)) {
        if (names.includes(name)) continue;
        try {
          donors.push(await this.verifier.openDestination(name, signal));
        } catch {
          // A destination that cannot be opened simply offers no copies.
        }
      }
      const report = await repairDestinations({
        targets,
        donors,
        catalog: this.catalog(),
        openSource: this.sourceOpener(signal),
        signal,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
      return { report, unavailable, ok: report.ok && unavailable.length === 0 };
    } finally {
      await release?.();
    }
  }

  /** Sources opened only when a copy must be re-read from one, once each. */
  private sourceOpener(signal: AbortSignal) {
    const opened = new Map<string, Promise<Source | undefined>>();
    return (name: string): Promise<Source | undefined> => {
      let source = opened.get(name);
      if (!source) {
        const cfg = this.config.read().sources[name];
        source = cfg ? this.plugins.open('source', name, cfg, signal) : Promise.resolve(undefined);
        opened.set(name, source);
      }
      return source;
    };
  }
}
