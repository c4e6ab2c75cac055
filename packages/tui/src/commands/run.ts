import type { RunSummary } from '@lifeboat/core';
import type { PlanRunner } from '../app/plan-run.js';
import { count, formatBytes, formatDuration } from '../output/format.js';
import type { Io } from '../output/io.js';
import { ProgressBar } from '../output/progress-bar.js';

/**
 * `run <plan>`: one backup run. Exit 0 only when every copy asked for was made. The summary is the result, so it
 * goes to stdout (`lifeboat run p > log` keeps it); progress and retries go to stderr.
 */
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
    const shownLive = new Set<string>();
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
        else if (e.type === 'destination-failed' && bar) {
          // Live notice only beside the progress bar (the summary then leaves it out): each problem once.
          bar.done();
          io.err(`lifeboat: destination "${e.destination}" skipped: ${e.message}`);
          shownLive.add(`${e.destination}\n${e.message}`);
        } else if (e.type === 'retry' && !json) {
          bar?.done();
          io.err(`retrying ${e.fileName} (attempt ${e.attempt + 1}) in ${e.delayMs} ms: ${e.message}`);
        }
      },
    });
    bar?.done();
    if (json) io.json(summary);
    else printSummary(io, summary, shownLive);
    return summary.aborted ? 130 : summary.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * The result (totals, each destination, 3-2-1) on stdout; each problem once on stderr with its advice. A problem
 * already shown live (beside the progress bar) is not repeated.
 */
function printSummary(io: Io, s: RunSummary, shownLive: ReadonlySet<string>) {
  io.out(
    `${s.ok ? 'Backup complete' : 'Backup finished with problems'}: ${count(s.filesCopied, 'file')} (${formatBytes(s.bytesCopied)}) copied in ${formatDuration(s.durationMs / 1000)}; ${count(s.listed, 'file')} in the sources.`,
  );
  for (const d of s.destinations) {
    io.out(
      `  ${d.name}: ${d.error ? `FAILED [${d.error.code}]` : `${count(d.filesCopied, 'file')}, ${formatBytes(d.bytesCopied)}`}`,
    );
  }
  if (s.goneFromSourceTotal > 0) {
    io.out(
      `  ${count(s.goneFromSourceTotal, 'file is', 'files are')} gone from the source (${s.goneFromSource} new this run); all their copies are kept. See \`lifeboat status\`.`,
    );
  }
  if (!s.evaluation.ok) {
    io.out('  3-2-1 not met:');
    for (const check of s.evaluation.checks.filter((c) => !c.ok)) io.out(`    ${check.explanation}`);
  }
  // A destination that failed as a whole is one problem, however many places report it.
  const problems = new Map<string, { text: string; code: string; hint?: string }>();
  for (const d of s.destinations) {
    if (d.error) {
      const text = `destination "${d.name}" skipped: ${d.error.message}`;
      problems.set(`${d.name}\n${d.error.message}`, { text, code: d.error.code, hint: d.error.hint });
    }
  }
  for (const f of s.failures) {
    const key = `${f.destination ?? ''}\n${f.message}`;
    if (!f.fileName && problems.has(key)) continue;
    const where = [f.fileName, f.destination].filter(Boolean).join(' -> ');
    problems.set(f.fileName ? `${f.fileName}\n${key}` : key, {
      text: `failed: ${where}${where ? ': ' : ''}${f.message}`,
      code: f.code,
      hint: f.hint,
    });
  }
  const fresh = [...problems].filter(([key]) => !shownLive.has(key)).map(([, p]) => p);
  const shown = fresh.slice(0, 20);
  for (const p of shown) io.err(`lifeboat: ${p.text}`);
  if (fresh.length > shown.length)
    io.err(`lifeboat: ... and ${count(fresh.length - shown.length, 'more failure')} (use --json for all)`);
  // Each distinct piece of advice once, with the codes it answers: a run can fail the same way 1,000 times.
  const advice = new Map<string, Set<string>>();
  for (const p of problems.values()) if (p.hint) advice.set(p.hint, (advice.get(p.hint) ?? new Set()).add(p.code));
  for (const [hint, codes] of advice) io.err(`  what to do: ${hint} [${[...codes].join(', ')}]`);
}
