import { UsageError } from '@lifeboat/core';
import type { CheckResult } from '../app/check.js';
import type { Io } from '../output/io.js';

/** "26h", "90m", "2d", "3600s" -> ms. */
export function parseAge(text: string, option = '--max-age'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text.trim());
  if (!match) {
    throw new UsageError(`${option} "${text}" is not a duration`, { hint: 'Write it like 26h, 90m, 2d or 3600s' });
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/**
 * `check`: one line per problem and a non-zero exit when a plan has no success within `maxAge`, a destination
 * is unreachable, or a source needs a new sign-in (now or soon), so any monitor (cron mail, a systemd
 * OnFailure, Uptime Kuma's push) can alert on it.
 */
export function printCheck(io: Io, result: CheckResult, maxAge: string, json: boolean) {
  const { problems } = result;
  if (json) io.json({ ok: problems.length === 0, problems });
  else if (problems.length === 0) {
    io.out(
      `OK: ${result.plans} plan(s) succeeded within ${maxAge}; ${result.destinations} destination(s) reachable; no sign-in due.`,
    );
  } else for (const p of problems) io.out(`PROBLEM ${p.message}`);
  return problems.length === 0 ? 0 : 1;
}
