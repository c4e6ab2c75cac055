import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { Frame } from '../components/frame.js';
import { type Problem, problemOfFailure } from '../components/problem.js';
import { bar, count, formatBytes, formatDuration, plural } from '../format.js';
import { type RunView, useRun } from '../hooks/use-run.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { useErrorView } from './error-view.js';

/** One run: progress per destination, throughput, ETA, the current file, retries and errors as they happen. */
export function RunScreen({ plan }: { plan: string }) {
  const { app, nav } = useUi();
  const { view, stop } = useRun(app.runner, plan);
  const [asking, setAsking] = useState(false);
  const errors = useErrorView();
  const finished = view.phase === 'done' || view.phase === 'failed';
  useInput((input, key) => {
    if (finished) {
      if (key.return || key.escape || input === 'q') nav.go({ name: 'dashboard' });
      if (input === 'e' && hasProblems(view)) errors.show(`Run of "${plan}": problems`, runProblems(view));
      if (input === 'b') nav.go({ name: 'restore' });
      return;
    }
    if (asking) {
      if (input === 'y') {
        setAsking(false);
        stop();
      } else if (input === 'n' || key.escape) setAsking(false);
      return;
    }
    if ((key.ctrl && input === 'c') || input === 'c') setAsking(true);
  });
  const keys = finished
    ? [
        { key: 'enter', does: 'home' },
        ...(hasProblems(view) ? [{ key: 'e', does: 'problems in full' }] : []),
        { key: 'b', does: 'browse & restore' },
      ]
    : asking
      ? [
          { key: 'y', does: 'stop cleanly' },
          { key: 'n', does: 'keep going' },
        ]
      : [{ key: 'c / ctrl-c', does: 'stop cleanly' }];
  if (errors.view) return errors.view;
  const elapsed = formatDuration((Date.now() - view.startedAt) / 1000);
  const eta = view.progress?.etaSeconds;
  return (
    <Frame
      title={`Running "${plan}" · ${phaseWords(view)} · ${elapsed} elapsed${eta !== undefined && !finished ? ` · about ${formatDuration(eta)} left` : ''}`}
      keys={keys}
    >
      <Progress view={view} />
      {asking ? (
        <Text bold color={healthColor('warn')}>
          Stop the run? Copies in flight are abandoned cleanly (no partial files); the next run finishes the job.
        </Text>
      ) : null}
      {finished ? <Outcome view={view} /> : null}
    </Frame>
  );
}

function phaseWords(v: RunView): string {
  // The run copies while it lists: both, side by side, until the listing ends.
  const listing = v.progress?.listing;
  if (v.phase === 'listing' || (listing && !listing.done)) {
    const copying = v.progress && v.progress.filesDone > 0 ? `, copying (${count(v.progress.filesDone)} done)` : '';
    return `listing the sources (${count(Math.max(v.listed, listing?.assets ?? 0))} so far)${copying}`;
  }
  if (v.phase === 'copying') return 'copying';
  if (v.phase === 'stopping') return 'stopping';
  if (v.phase === 'done') return v.summary?.aborted ? 'stopped' : v.summary?.ok ? 'done' : 'done, with problems';
  if (v.phase === 'failed') return 'could not run';
  return 'starting';
}

function Progress({ view }: { view: RunView }) {
  const p = view.progress;
  const total = view.planned?.bytes ?? p?.bytesTotal ?? 0;
  const width = 24;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {'reading sources'.padEnd(18)}
        {bar(p && p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : view.phase === 'done' ? 1 : 0, width)}{' '}
        {p
          ? `${count(p.filesDone)} / ${plural(p.filesTotal, 'file')}  ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}  ${formatBytes(p.bytesPerSecond)}/s`
          : view.planned
            ? `${plural(view.planned.files, 'file')} to read`
            : ''}
      </Text>
      {Object.entries(view.destinations).map(([name, d]) => (
        <Text key={name} wrap="truncate-end">
          {name.slice(0, 17).padEnd(18)}
          {bar(total > 0 ? d.bytes / total : 1, width)}{' '}
          {d.failed ? (
            <Text color={healthColor('bad')}>FAILED: {d.failed}</Text>
          ) : (
            `written ${plural(d.files, 'file')}, ${formatBytes(d.bytes)}, verified`
          )}
        </Text>
      ))}
      <Text wrap="truncate-end">
        {`now: ${p?.currentFile ?? '—'}   retries: ${view.retries}`}
        {view.lastRetry ? ` (${view.lastRetry})` : ''}
        {`   errors: ${view.errors.length}`}
      </Text>
      {view.errors.slice(-3).map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the same error can happen twice; its place tells them apart
        <Text key={`${i}-${e}`} wrap="truncate-end" color={healthColor('bad')}>
          error: {e}
        </Text>
      ))}
    </Box>
  );
}

function Outcome({ view }: { view: RunView }) {
  if (view.error) {
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text color={healthColor('bad')} bold>
          The run could not start: {view.error.message}
        </Text>
        {view.error.hint ? <Text>What to do: {view.error.hint}</Text> : null}
      </Box>
    );
  }
  const s = view.summary!;
  const health = s.aborted ? 'warn' : s.ok ? 'ok' : 'bad';
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color={healthColor(health)} bold>
        {s.aborted ? 'STOPPED' : s.ok ? 'BACKUP COMPLETE' : 'FINISHED WITH PROBLEMS'}: {plural(s.filesCopied, 'file')} (
        {formatBytes(s.bytesCopied)}) copied; {plural(s.listed, 'asset')} in the sources.
      </Text>
      {s.goneFromSourceTotal > 0 ? (
        <Text>
          {plural(s.goneFromSourceTotal, 'photo')} gone from the source ({count(s.goneFromSource)} new this run) — all
          kept.
        </Text>
      ) : null}
      {s.evaluation.ok ? (
        <Text>
          3-2-1 met: {s.evaluation.copies} copies · {s.evaluation.media} media · {s.evaluation.offsite} offsite.
        </Text>
      ) : (
        s.evaluation.checks.filter((ch) => !ch.ok).map((ch) => <Text key={ch.rule}>3-2-1: {ch.explanation}</Text>)
      )}
      {s.ok || s.aborted ? null : <ProblemLine view={view} />}
      {[...new Set(s.failures.map((f) => f.hint).filter(Boolean))].slice(0, 2).map((h) => (
        <Text key={h}>What to do: {h}</Text>
      ))}
    </Box>
  );
}

const hasProblems = (v: RunView) => v.error !== undefined || runProblems(v).length > 0;

/** Every problem of the finished run, for the full error view: why it could not start, or each failure. */
function runProblems(v: RunView): Problem[] {
  if (v.error) return [{ problem: v.error.message, ...(v.error.hint ? { hint: v.error.hint } : {}), details: [] }];
  const s = v.summary;
  if (!s) return [];
  return [
    ...s.destinations.flatMap((d) => (d.error ? [problemOfFailure({ ...d.error, destination: d.name })] : [])),
    ...s.failures.map(problemOfFailure),
  ];
}

/** A failed run always says at least its first problem (the hint alone does not say what went wrong). */
function ProblemLine({ view }: { view: RunView }) {
  const first = runProblems(view)[0];
  return (
    <Text color={healthColor('bad')} wrap="truncate-end">
      Problem: {first?.problem ?? 'the run did not finish cleanly (see `lifeboat runs`)'}
    </Text>
  );
}
