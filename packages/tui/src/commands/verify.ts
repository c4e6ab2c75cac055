import type { VerifyProblem } from '@lifeboat/core';
import { parseSelection, type VerifyResult, type VerifyService } from '../app/verify.js';
import { count, formatBytes, formatDuration } from '../output/format.js';
import type { Io } from '../output/io.js';

const LABEL: Record<VerifyProblem['kind'], string> = {
  missing: 'missing',
  corrupt: 'damaged',
  unreadable: 'unreadable',
  unexpected: 'unexpected',
  unindexed: 'not in the destination index',
};

export function printVerify(io: Io, result: VerifyResult, limit = 20): void {
  if (!('problems' in result)) {
    io.err(`  ${result.destination}: NOT CHECKED: ${result.error.message} [${result.error.code}]`);
    if (result.error.hint) io.err(`    what to do: ${result.error.hint}`);
    return;
  }
  const r = result;
  const problems = r.problems.filter((p) => p.kind !== 'unexpected').length + (r.indexError ? 1 : 0);
  const state = r.aborted ? 'STOPPED' : r.ok ? 'healthy' : count(problems, 'PROBLEM');
  io.err(
    `  ${r.destination}: ${state}: ${count(r.copies, 'copy', 'copies')}${r.sidecars ? ` and ${count(r.sidecars, 'sidecar')}` : ''} (per the ${r.basis === 'catalog' ? 'catalog' : "destination's own index"}), ` +
      `${r.healthy} of ${r.checked} read back matched (${formatBytes(r.bytesChecked)} in ${formatDuration(r.durationMs / 1000)})`,
  );
  if (r.indexError) io.err(`    index: ${r.indexError.message}`);
  for (const p of r.problems.slice(0, limit)) io.err(`    ${LABEL[p.kind]}: ${p.message}`);
  if (r.problems.length > limit) io.err(`    ... and ${r.problems.length - limit} more (use --json for all)`);
}

/** `verify <destination|plan> [--sample <percent>|--all] [--json]`: exit 0 only when every copy checked is healthy. */
export async function verify(
  service: VerifyService,
  io: Io,
  target: string,
  options: { sample?: string; all?: boolean; json: boolean },
): Promise<number> {
  const selection = parseSelection(options.sample, options.all);
  const { names } = service.targets(target);
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('stopped by the user'));
  process.once('SIGINT', stop);
  try {
    const results = await service.verify(names, selection, abort.signal, (name, e) => {
      if (options.json || e.type !== 'verify-started') return;
      io.err(
        `Verifying ${name}: ${count(e.copies, 'copy', 'copies')}; reading back ${e.toRead} (${formatBytes(e.bytesToRead)})...`,
      );
    });
    const ok = results.every((r) => r.ok) && !abort.signal.aborted;
    if (options.json) io.json({ ok, target, selection, destinations: results });
    else {
      io.err(ok ? `Verified ${target}: every copy checked is healthy.` : `Verified ${target}: problems found.`);
      for (const r of results) printVerify(io, r);
      if (!ok && results.some((r) => 'problems' in r && r.problems.some((p) => p.kind !== 'unexpected'))) {
        io.err(`  what to do: run \`lifeboat repair ${target}\` to re-create them from a healthy copy`);
      }
    }
    return ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** A scheduled scrub of `plan` (see VerifyService.scrub), reported on `io`. Called by the schedules daemon. */
export async function scrubPlan(
  service: VerifyService,
  io: Io,
  plan: string,
  samplePercent: number,
  signal: AbortSignal,
): Promise<{ ok: boolean }> {
  const { ok, results } = await service.scrub(plan, samplePercent, signal);
  io.err(`Scrub of plan ${plan} (${samplePercent}%): ${ok ? 'healthy' : 'problems found'}.`);
  for (const r of results) printVerify(io, r, 10);
  if (!ok) io.err(`  what to do: run \`lifeboat repair ${plan}\``);
  return { ok };
}
