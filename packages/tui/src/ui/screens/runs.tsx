import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import type { Health } from '../../app/dashboard.js';
import type { RunDetail, RunListItem, RunState } from '../../app/runs.js';
import { Frame, useTerminalSize } from '../components/frame.js';
import { problemOfFailure } from '../components/problem.js';
import { moveCursor, VirtualList } from '../components/virtual-list.js';
import { count, formatBytes, plural, when } from '../format.js';
import { useKeys } from '../hooks/use-keys.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { useErrorView } from './error-view.js';

const HELP =
  'Every run of every plan, newest first, as `lifeboat runs` lists them: when, how it ended, what it copied. ' +
  'Enter shows one run: per destination what was copied and skipped, and every failure.';

const stateHealth: Record<RunState, Health> = { ok: 'ok', failed: 'bad', stopped: 'warn', 'running or killed': 'warn' };

/** The run history, and one run in detail (the TUI's `lifeboat runs` and `runs show`). */
export function RunsScreen({ plan }: { plan?: string | undefined }) {
  const { app, nav } = useUi();
  const { rows } = useTerminalSize();
  const runs = useMemo(() => app.runs.list(plan, 200), [app, plan]);
  const [cursor, setCursor] = useState(0);
  const [detail, setDetail] = useState<RunDetail>();
  const errorView = useErrorView();
  const errors = (d: RunDetail) =>
    errorView.show(`Run ${d.id} of "${d.plan}": problems`, d.failed.map(problemOfFailure));
  useKeys((input, key) => {
    if (detail) {
      if (input === 'e' && detail.failed.length > 0) return errors(detail);
      if (key.escape || input === 'q') return setDetail(undefined);
      return;
    }
    if (key.escape || input === 'q') return nav.back();
    const run = runs[cursor];
    if (key.return && run) return setDetail(app.runs.show(run.id));
    setCursor((at) => moveCursor(at, runs.length, key, rows - 6));
  });
  if (errorView.view) return errorView.view;
  if (detail) {
    return (
      <Frame
        title={`Run ${detail.id} · plan "${detail.plan}" · ${detail.state}`}
        keys={[
          ...(detail.failed.length > 0 ? [{ key: 'e', does: 'problems in full' }] : []),
          { key: 'esc', does: 'back' },
        ]}
        help={HELP}
      >
        <RunDetailView run={detail} />
      </Frame>
    );
  }
  return (
    <Frame
      title={plan ? `Runs of "${plan}"` : 'Runs'}
      keys={[
        { key: '↑↓', does: 'move' },
        { key: 'enter', does: 'show' },
        { key: 'esc', does: 'back' },
      ]}
      help={HELP}
    >
      <Text bold>{'  ID    PLAN          STARTED             STATE      COPIED             FAILED'}</Text>
      <VirtualList
        items={runs}
        cursor={cursor}
        height={rows - 6}
        empty="No run yet."
        render={(r: RunListItem, _i, focused) => (
          <Text wrap="truncate-end">
            {focused ? '> ' : '  '}
            {String(r.id).padEnd(6)}
            {r.plan.slice(0, 13).padEnd(14)}
            {when(r.startedAt).padEnd(20)}
            <Text color={healthColor(stateHealth[r.state])}>{r.state.padEnd(11)}</Text>
            {`${plural(r.filesCopied, 'file')}, ${formatBytes(r.bytesCopied)}`.padEnd(19)}
            {count(r.failures)}
          </Text>
        )}
      />
    </Frame>
  );
}

function RunDetailView({ run }: { run: RunDetail }) {
  return (
    <Box flexDirection="column">
      <Text>
        Started {when(run.startedAt)}
        {run.finishedAt ? `, finished ${when(run.finishedAt)}` : ''}
        {run.listed !== undefined ? `; ${plural(run.listed, 'file')} in the sources` : ''}.
      </Text>
      <Text> </Text>
      {run.destinations.map((d) => (
        <Text key={d.name} wrap="truncate-end">
          {d.name.slice(0, 17).padEnd(18)}
          {d.error ? (
            <Text color={healthColor('bad')}>FAILED: {d.error.message}</Text>
          ) : (
            `copied ${plural(d.filesCopied, 'file')} (${formatBytes(d.bytesCopied)})${d.skipped !== undefined ? `, ${count(d.skipped)} already there` : ''}`
          )}
        </Text>
      ))}
      <Text> </Text>
      <Text>
        {run.failed.length === 0 ? 'No failure.' : `${plural(run.failed.length, 'failure')}: [e] shows them in full.`}
      </Text>
      {run.failed.slice(0, 5).map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the same failure can repeat; its place tells them apart
        <Text key={i} wrap="truncate-end" color={healthColor('bad')}>
          {[f.fileName, f.destination].filter(Boolean).join(' · ')}
          {f.fileName || f.destination ? ': ' : ''}
          {f.message}
        </Text>
      ))}
      {run.destinations.flatMap((d) => d.copied.slice(0, 3).map((c) => `${d.name}: ${c.key}`)).length > 0 ? (
        <Text dimColor wrap="truncate-end">
          e.g. copied{' '}
          {run.destinations
            .flatMap((d) => d.copied.slice(0, 2).map((c) => c.key))
            .slice(0, 3)
            .join(', ')}
        </Text>
      ) : null}
    </Box>
  );
}
