import { describeError } from '@lifeboat/core';
import { Box, Text } from 'ink';
import type { DryRun } from '../../app/dry-run.js';
import { count, formatBytes, plural } from '../format.js';
import { healthColor } from '../theme.js';

export type DryRunState = { busy: true } | { result: DryRun } | { error: unknown } | undefined;

/** The dry run's answer: files and bytes per destination, the free space check, and three example paths. */
export function DryRunView({ state }: { state: DryRunState }) {
  if (!state) return null;
  if ('busy' in state) return <Text>Dry run: listing the sources…</Text>;
  if ('error' in state) return <Text color={healthColor('bad')}>Dry run failed: {describeError(state.error)}</Text>;
  const r = state.result;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        Dry run: {plural(r.assets, 'asset')}; the first run reads {plural(r.files, 'file')} ({formatBytes(r.bytes)}).
      </Text>
      {r.destinations.map((d) => (
        <Text key={d.name} wrap="truncate-end">
          {'  '}
          {d.name.padEnd(16)}
          {`${count(d.files)} files, ${formatBytes(d.bytes)}`.padEnd(24)}
          {d.freeBytes === undefined ? (
            'free space unknown'
          ) : (
            <Text color={healthColor(d.enoughSpace ? 'ok' : 'bad')}>
              {`${formatBytes(d.freeBytes)} free, ${d.enoughSpace ? 'enough space' : 'NOT ENOUGH SPACE'}`}
            </Text>
          )}
        </Text>
      ))}
      {r.unavailable.map((u) => (
        <Text key={u.name} wrap="truncate-end" color={healthColor('bad')}>
          {'  '}
          {u.name}: unavailable: {u.reason}
        </Text>
      ))}
      {r.examples ? (
        <Text wrap="truncate-end">
          {'  '}Layout {r.examples.layout}, e.g.:
        </Text>
      ) : null}
      {r.examples ? (
        <Text wrap="truncate-end">
          {'    '}
          {r.examples.keys.join('   ')}
        </Text>
      ) : null}
    </Box>
  );
}
