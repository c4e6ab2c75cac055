import type { RunSummary } from '@lifeboat/core';
import type { PlanRunner } from '../app/plan-run.js';
import { formatBytes, formatDuration } from '../output/format.js';
import type { Io } from '../output/io.js';
import { ProgressBar } from '../output/progress-bar.js';

/** `run <plan>`: one backup run. Exit 0 only when every copy asked for was made. */
export async function runPlan(
  runner: PlanRunner,
  io: Io,
  name: string,
  json: boolean,
  waitMs?: number,
  bandwidthLimit?: number | null,
  checksum = false,
) {
  const abort = new AbortController();
  const stop = () => {
    if (!abort.signal.aborted) io.err('\nStopping: finishing nothing new, abandoning in-flight copies cleanly...');
    abort.abort(new Error('stopped by the user'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const bar = io.isTTY && !json ? new ProgressBar() : undefined;
    const summary = await runner.run(name, {
      signal: abort.signal,
      checksum,
      ...(waitMs ? { lockWaitMs: waitMs } : {}),
      ...(bandwidthLimit !== undefined ? { bandwidthLimit } : {}),
      onLockWait: (message) => io.err(`${message}; waiting for it to finish...`),
      onNotified: (event, outcomes) => {
        for (const o of outcomes.filter((x) => !x.ok))
          io.err(`lifeboat: notification ${event.type} via ${o.target}: ${o.detail}`);
      },
      onEvent: (e) => {
        if (e.type === 'progress') bar?.update(e);
        else if (e.type === 'destination-failed') {
          bar?.done();
          io.err(`lifeboat: destination "${e.destination}" skipped: ${e.message}`);
        } else if (e.type === 'retry' && !json) {
          bar?.done();
          io.err(`retrying ${e.fileName} (attempt ${e.attempt + 1}) in ${e.delayMs} ms: ${e.message}`);
        }
      },
    });
    bar?.done();
    if (json) io.json(summary);
    else printSummary(io, summary);
    return summary.aborted ? 130 : summary.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function printSummary(io: Io, s: RunSummary) {
  io.err(
    `${s.ok ? 'Backup complete' : 'Backup finished with problems'}: ${s.filesCopied} files (${formatBytes(s.bytesCopied)}) copied in ${formatDuration(s.durationMs / 1000)}; ${s.listed} files in the sources.`,
  );
  for (const d of s.destinations) {
    io.err(
      `  ${d.name}: ${d.error ? `FAILED ${d.error.message}` : `${d.filesCopied} files, ${formatBytes(d.bytesCopied)}`}`,
    );
  }
  if (s.goneFromSourceTotal > 0) {
    io.err(
      `  ${s.goneFromSourceTotal} files are gone from the source (${s.goneFromSource} new this run); all their copies are kept. See \`lifeboat status\`.`,
    );
  }
  const shown = s.failures.slice(0, 20);
  for (const f of shown)
    io.err(
      `  failed: ${[f.fileName, f.destination].filter(Boolean).join(' -> ')}${f.fileName || f.destination ? ': ' : ''}${f.message}`,
    );
  if (s.failures.length > shown.length)
    io.err(`  ... and ${s.failures.length - shown.length} more failures (use --json for all)`);
  // Each distinct piece of advice once, with the codes it answers: a run can fail the same way 1,000 times.
  const advice = new Map<string, Set<string>>();
  for (const f of s.failures) if (f.hint) advice.set(f.hint, (advice.get(f.hint) ?? new Set()).add(f.code));
  for (const [hint, codes] of advice) io.err(`  what to do: ${hint} [${[...codes].join(', ')}]`);
  if (!s.evaluation.ok) {
    io.err('  3-2-1 not met:');
    for (const check of s.evaluation.checks.filter((c) => !c.ok)) io.err(`    ${check.explanation}`);
  }
}
