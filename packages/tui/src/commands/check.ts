import type { CheckResult } from '../app/check.js';
import type { Io } from '../output/io.js';

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
