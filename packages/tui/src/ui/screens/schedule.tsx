import { LifeboatError, nextRuns, parseSchedule } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { localTime } from '../../app/schedule-format.js';
import { installedLines, VAULT_NOTE } from '../../output/schedule-lines.js';
import { ErrorText } from '../components/error-text.js';
import { Frame } from '../components/frame.js';
import { useKeys } from '../hooks/use-keys.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { useTyping } from '../hooks/use-typing.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';

const PRESETS = ['daily@02:00', 'hourly', 'weekly:sun@03:00', 'every 6h'];
const ACTIONS = ['Save', 'Save and install in the OS scheduler', 'Remove the schedule'] as const;
const KEYS = [
  { key: 'pgup/pgdn', does: 'preset' },
  { key: '↑↓', does: 'field/action' },
  { key: 'enter', does: 'do it' },
  { key: 'esc', does: 'back' },
];

/** A plan's schedule: presets or cron, checked as typed, with the next three runs; saved to the plan. */
export function ScheduleScreen({ plan }: { plan: string }) {
  const { app, nav } = useUi();
  const field = useTextField(app.config().plans[plan]?.schedule ?? PRESETS[0]!);
  const spec = field.value;
  const [row, setRow, rowNow] = useSyncState(0);
  useTyping(row === 0);
  const [said, setSaid] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const check = useMemo(() => {
    try {
      const schedule = parseSchedule(spec);
      return { describe: schedule.describe, next: nextRuns(schedule, new Date(), 3) };
    } catch (e) {
      return { error: e };
    }
  }, [spec]);
  const act = (action: (typeof ACTIONS)[number]) => {
    const lines: string[] = [];
    setError(undefined);
    const schedule = action === 'Remove the schedule' ? 'off' : spec;
    app.plans
      .set(plan, { schedule })
      .then((changes) => {
        lines.push(`Plan "${plan}": ${changes.join('; ')}.`);
        if (action !== 'Save and install in the OS scheduler') return;
        const installed = app.schedule.install({ plan }, (p) => lines.push(...installedLines(p).map((l) => l.text)));
        if (installed.needsVaultPassphrase) lines.push(VAULT_NOTE);
      })
      .then(() => setSaid(lines))
      .catch((e: unknown) => {
        setSaid(lines);
        setError(e);
      });
  };
  useKeys((input, key) => {
    const row = rowNow();
    if (key.escape) return nav.back();
    if (key.upArrow) return setRow(Math.max(0, row - 1));
    if (key.downArrow || key.tab) return setRow(Math.min(ACTIONS.length, row + 1));
    if (key.return) {
      if (row === 0) return check.error ? undefined : act('Save');
      const action = ACTIONS[row - 1]!;
      if (action !== 'Remove the schedule' && check.error) return;
      return act(action);
    }
    if (row !== 0) return;
    if (key.pageUp || key.pageDown) {
      const at = PRESETS.indexOf(field.now());
      const step = key.pageUp ? -1 : 1;
      return field.set(PRESETS[(at + step + PRESETS.length) % PRESETS.length]!);
    }
    field.handle(input, key);
  });
  return (
    <Frame title={`Schedule · plan "${plan}"`} keys={KEYS}>
      <Text>Presets (pgup/pgdn): {PRESETS.join(' · ')}</Text>
      <Text>Or type a cron expression, e.g. 30 2 * * 1-5 (weekdays at 02:30).</Text>
      <Text> </Text>
      <Text>
        <Text color={row === 0 ? accent() : undefined}>{row === 0 ? '> ' : '  '}</Text>
        {'Schedule'.padEnd(12)}
        {field.shown(row === 0)}
        {'   '}
        {'describe' in check ? (
          <Text color={healthColor('ok')}>OK: {check.describe}</Text>
        ) : (
          <Text color={healthColor('bad')}>NOT VALID</Text>
        )}
      </Text>
      {check.next ? (
        check.next.map((d, i) => (
          <Text key={d.toISOString()} wrap="truncate-end">
            {'  '}
            {(i === 0 ? 'Next runs' : '').padEnd(12)}
            {localTime(d)}
          </Text>
        ))
      ) : (
        <Box marginLeft={2}>
          <ErrorText error={check.error ?? new LifeboatError('LIFEBOAT_USAGE', 'invalid')} />
        </Box>
      )}
      <Text> </Text>
      {ACTIONS.map((a, i) => (
        <Text key={a} bold={row === i + 1}>
          <Text color={row === i + 1 ? accent() : undefined}>{row === i + 1 ? '> ' : '  '}</Text>[ {a} ]
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="wrap">
        A saved schedule runs while `lifeboat daemon` is running; installed in the OS scheduler (a systemd timer,
        launchd, Task Scheduler or cron) it runs with nothing left running.
      </Text>
      {said.map((line, i) => (
        // Lines repeat (two unit files both open with [Unit]); the list is replaced whole, never reordered.
        // biome-ignore lint/suspicious/noArrayIndexKey: position is the identity of a line here
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {error ? <ErrorText error={error} /> : null}
    </Frame>
  );
}
