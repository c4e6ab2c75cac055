import { Box, Text } from 'ink';
import { Frame } from '../components/frame.js';
import { Menu } from '../components/menu.js';
import { bar, count } from '../format.js';
import { type CheckKind, useCheckCopies } from '../hooks/use-check-copies.js';
import { useKeys } from '../hooks/use-keys.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { useErrorView } from './error-view.js';

const CHOICES: { id: CheckKind; label: string; note: string }[] = [
  { id: 'sample', label: 'Verify a sample', note: 'reads back 5%, least recently checked first' },
  { id: 'all', label: 'Verify everything', note: 'reads back every copy and checks its sha256' },
  { id: 'repair', label: 'Repair', note: 'verifies in full, re-creates missing or damaged copies' },
];

const HELP =
  'Verify reads copies back from the destinations of the plan and checks each against its sha256, as ' +
  '`lifeboat verify` does; repair then re-creates a missing or damaged copy from a healthy one (or the source), ' +
  'as `lifeboat repair` does. Nothing healthy is ever overwritten.';

/** Verify or repair a plan's destinations from the terminal UI, watching the progress. */
export function VerifyScreen({ plan }: { plan: string }) {
  const { app, nav } = useUi();
  const { view, start, stop } = useCheckCopies(app, plan);
  const running = view.phase === 'running';
  const errors = useErrorView();
  const showProblems = () => errors.show(`Problems found in "${plan}"`, view.problems);
  useKeys((input, key) => {
    if (running) {
      if (input === 'c' || (key.ctrl && input === 'c')) stop();
      return;
    }
    if (view.phase === 'done') {
      if (input === 'e' && view.problems.length > 0) return showProblems();
      if (key.escape || key.return || input === 'q') return nav.back();
    }
  });
  if (errors.view) return errors.view;
  const keys = running
    ? [{ key: 'c', does: 'stop' }]
    : view.phase === 'done'
      ? [...(view.problems.length > 0 ? [{ key: 'e', does: 'problems in full' }] : []), { key: 'enter', does: 'back' }]
      : [
          { key: '↑↓', does: 'choose' },
          { key: 'enter', does: 'start' },
          { key: 'esc', does: 'back' },
        ];
  return (
    <Frame title={`Verify & repair · plan "${plan}"`} keys={keys} help={HELP}>
      {view.phase === 'idle' ? (
        <Menu
          items={CHOICES.map((c) => ({ id: c.id, label: c.label, note: c.note }))}
          onChoose={(id) => start(id as CheckKind)}
          onCancel={nav.back}
        />
      ) : null}
      {Object.entries(view.destinations).map(([name, d]) => (
        <Text key={name} wrap="truncate-end">
          {name.slice(0, 17).padEnd(18)}
          {bar(d.toRead > 0 ? d.checked / d.toRead : 1, 24)} {count(d.checked)} / {count(d.toRead)} read back
        </Text>
      ))}
      {view.phase !== 'idle' ? (
        <Text>
          problems: {view.problems.length}
          {view.kind === 'repair' ? `   repaired: ${view.repaired}` : ''}
        </Text>
      ) : null}
      {view.phase === 'done' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={healthColor(view.ok ? 'ok' : 'bad')}>
            {view.ok ? 'ALL HEALTHY' : 'PROBLEMS FOUND'}
          </Text>
          {view.outcome.map((line) => (
            <Text key={line} wrap="truncate-end">
              {line}
            </Text>
          ))}
          {view.problems[0] ? (
            <Text wrap="truncate-end" color={healthColor('bad')}>
              Problem: {view.problems[0].problem}
            </Text>
          ) : null}
        </Box>
      ) : null}
    </Frame>
  );
}
