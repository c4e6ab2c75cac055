import { describeError, KEEP_REASONS, type PlanConfig } from '@lifeboat/core';
import type { DaemonLog } from './daemon-log.js';
import type { DaemonServices } from './daemon-services.js';
import { parseOffloadRule } from './offload-spec.js';

/**
 * After an ok scheduled run of a plan with `offload`: the same offload as `lifeboat offload` (same rule, same
 * read-back before each move) for each of its sources. A dry run that only logs what it would move, unless the
 * plan's `offload.move` was turned on explicitly; moves send `assets-offloaded`.
 */
export async function offloadAfterRun(
  s: DaemonServices,
  name: string,
  plan: PlanConfig,
  log: DaemonLog,
  signal: AbortSignal,
): Promise<void> {
  if (!plan.offload) return;
  const yes = plan.offload.move === true;
  for (const source of plan.sources) {
    if (signal.aborted) return;
    try {
      const { rule, max } = parseOffloadRule(plan.offload.rule);
      const r = await s.offload.offload({ source, rule, yes, ...(max === undefined ? {} : { max }) }, signal);
      const bytes = (yes ? r.moved : r.plan.move).reduce((n, d) => n + d.bytes, 0);
      const kept = Object.fromEntries(
        KEEP_REASONS.filter((k) => r.plan.reasons[k] > 0).map((k) => [k, r.plan.reasons[k]]),
      );
      const keptText =
        Object.entries(kept)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') || 'none';
      const fields = {
        plan: name,
        offload: yes ? 'moved' : 'dry-run',
        source,
        wouldMove: r.plan.move.length,
        moved: r.moved.length,
        bytes,
        kept,
        ...(r.stopped ? { stopped: r.stopped } : {}),
        unreachable: r.unreachable.map((u) => u.name),
      };
      const head = yes
        ? `offload of "${source}" (plan "${name}"): moved ${r.moved.length} of ${r.plan.move.length} photos to Recently Deleted (${bytes} bytes)`
        : `offload of "${source}" (plan "${name}"), dry run: would move ${r.plan.move.length} photos (${bytes} bytes); nothing moved (turn it on with \`lifeboat plan set ${name} --offload-move on\`)`;
      const text = `${head}; kept ${r.plan.keep.length}: ${keptText}`;
      if (r.stopped)
        log.warn(`${text}; STOPPED at ${r.stopped.assetId} (${r.stopped.reason}): ${r.stopped.message}`, fields);
      else log.info(text, fields);
      for (const n of r.notified) {
        log.info(
          `notified ${n.event.type}: ${n.outcomes.map((o) => `${o.target} ${o.ok ? 'ok' : o.detail}`).join('; ')}`,
          { plan: n.plan, notified: n.event.type, outcomes: n.outcomes },
        );
      }
    } catch (error) {
      log.error(`offload of "${source}" (plan "${name}") failed: ${describeError(error)}`, { plan: name, source });
    }
  }
}
