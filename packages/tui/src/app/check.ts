import { type ConfigStore, UsageError } from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { HealthService, PROBE_DEADLINE_MS } from './health.js';
import { TOKENS } from './tokens.js';

export interface CheckProblem {
  kind: 'plan-stale' | 'destination-unreachable' | 'login-needed' | 'login-soon' | 'source-unresponsive';
  name: string;
  message: string;
}

export interface CheckResult {
  problems: CheckProblem[];
  /** How many plans and destinations were looked at. */
  plans: number;
  destinations: number;
}

/**
 * What a monitor should alert on: a plan with no success within `maxAge`, an unreachable destination, or a source
 * that needs a new sign-in (now or soon).
 */
@injectable()
export class CheckService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(HealthService) private readonly health: HealthService,
  ) {}

  /**
   * `maxAge` is in ms; `maxAgeText` is how the user wrote it, for the messages. Each destination and source gets
   * `deadlineMs` to answer, so a hung mount or plugin is reported instead of hanging the check.
   */
  async check(options: {
    maxAgeMs: number;
    maxAgeText: string;
    plan?: string;
    deadlineMs?: number;
  }): Promise<CheckResult> {
    const deadlineMs = options.deadlineMs ?? PROBE_DEADLINE_MS;
    const config = this.config.read();
    const plans = Object.entries(config.plans).filter(([name]) => !options.plan || name === options.plan);
    if (options.plan && plans.length === 0) {
      throw new UsageError(`No plan named "${options.plan}"`, { hint: 'See `lifeboat status` for plans' });
    }
    const problems: CheckProblem[] = [];
    const now = Date.now();
    for (const [name, plan] of plans) {
      const health = this.health.planHealth(name, plan.schedule);
      const age = health.lastSuccess ? now - Date.parse(health.lastSuccess) : Number.POSITIVE_INFINITY;
      if (age > options.maxAgeMs) {
        problems.push({
          kind: 'plan-stale',
          name,
          message: `plan "${name}": no successful run within ${options.maxAgeText} (last success: ${health.lastSuccess ?? 'never'}${health.lastFailure ? `; last failure ${health.lastFailure.at}: ${health.lastFailure.reason}` : ''})`,
        });
      }
      for (const l of health.needsLogin) {
        problems.push({
          kind: 'login-needed',
          name: l.source,
          message: `source "${l.source}": needs login: run \`${l.command}\``,
        });
      }
    }
    const destinations = [...new Set(plans.flatMap(([, p]) => p.destinations))];
    for (const d of destinations) {
      const reason = await this.health.destinationReachable(config, d, deadlineMs);
      if (reason)
        problems.push({
          kind: 'destination-unreachable',
          name: d,
          message: `destination "${d}": unreachable: ${reason}`,
        });
    }
    const sources = [...new Set(plans.flatMap(([, p]) => p.sources))];
    for (const s of sources) {
      if (problems.some((p) => p.kind === 'login-needed' && p.name === s)) continue;
      const health = await this.health.sourceHealth(config, s, deadlineMs, (error) =>
        problems.push({ kind: 'source-unresponsive', name: s, message: error.message }),
      );
      if (health?.state === 'login-required' || health?.state === 'login-soon') {
        problems.push({
          kind: health.state === 'login-required' ? 'login-needed' : 'login-soon',
          name: s,
          message: `source "${s}": ${health.message ?? health.state}`,
        });
      }
    }
    return { problems, plans: plans.length, destinations: destinations.length };
  }
}
