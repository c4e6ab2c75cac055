import { UsageError } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { resolveConfig } from '../container.js';
import type { Io } from '../output/io.js';
import { destinationReachable, PROBE_DEADLINE_MS, planHealth, sourceHealth } from './health.js';

/** "26h", "90m", "2d", "3600s" -> ms. */
export function parseAge(text: string, option = '--max-age'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text.trim());
  if (!match) {
    throw new UsageError(`${option} "${text}" is not a duration`, { hint: 'Write it like 26h, 90m, 2d or 3600s' });
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

interface Problem {
  kind: 'plan-stale' | 'destination-unreachable' | 'login-needed' | 'login-soon' | 'source-unresponsive';
  name: string;
  message: string;
}

/**
 * `check`: one line per problem and a non-zero exit when a plan has no success within `maxAge`, a destination
 * is unreachable, or a source needs a new sign-in (now or soon), so any monitor (cron mail, a systemd
 * OnFailure, Uptime Kuma's push) can alert on it.
 */
export async function check(
  c: DependencyContainer,
  io: Io,
  options: { maxAge: string; plan?: string; json: boolean; timeout?: string },
) {
  const maxAgeMs = parseAge(options.maxAge);
  const deadlineMs = options.timeout ? parseAge(options.timeout, '--timeout') : PROBE_DEADLINE_MS;
  const config = resolveConfig(c).read();
  const plans = Object.entries(config.plans).filter(([name]) => !options.plan || name === options.plan);
  if (options.plan && plans.length === 0) {
    throw new UsageError(`No plan named "${options.plan}"`, { hint: 'See `lifeboat status` for plans' });
  }
  const problems: Problem[] = [];
  const now = Date.now();
  for (const [name, plan] of plans) {
    const health = planHealth(c, name, plan.schedule);
    const age = health.lastSuccess ? now - Date.parse(health.lastSuccess) : Number.POSITIVE_INFINITY;
    if (age > maxAgeMs) {
      problems.push({
        kind: 'plan-stale',
        name,
        message: `plan "${name}": no successful run within ${options.maxAge} (last success: ${health.lastSuccess ?? 'never'}${health.lastFailure ? `; last failure ${health.lastFailure.at}: ${health.lastFailure.reason}` : ''})`,
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
    const reason = await destinationReachable(c, config, d, deadlineMs);
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
    const health = await sourceHealth(c, config, s, deadlineMs, (error) =>
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
  if (options.json) io.json({ ok: problems.length === 0, problems });
  else if (problems.length === 0) {
    io.out(
      `OK: ${plans.length} plan(s) succeeded within ${options.maxAge}; ${destinations.length} destination(s) reachable; no sign-in due.`,
    );
  } else for (const p of problems) io.out(`PROBLEM ${p.message}`);
  return problems.length === 0 ? 0 : 1;
}
