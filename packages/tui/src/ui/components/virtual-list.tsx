import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

/**
 * Renders only the rows that fit (a window around the cursor), so a list of 100,000 entries draws as fast as
 * one of 20 and never flickers. `height` is the number of rows available.
 */
export function VirtualList<T>({
  items,
  cursor,
  height,
  render,
  empty,
}: {
  items: readonly T[];
  cursor: number;
  height: number;
  render: (item: T, index: number, focused: boolean) => ReactNode;
  empty?: string;
}) {
  if (items.length === 0) return <Text>{empty ?? '(nothing here)'}</Text>;
  const rows = Math.max(1, height - (items.length > height ? 1 : 0));
  const start = Math.min(Math.max(0, cursor - Math.floor(rows / 2)), Math.max(0, items.length - rows));
  const window = items.slice(start, start + rows);
  return (
    <Box flexDirection="column">
      {window.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are keyed by their position in the list, which is their identity here
        <Box key={start + i}>{render(item, start + i, start + i === cursor)}</Box>
      ))}
      {items.length > rows ? (
        <Text>
          {'  '}
          {(start + 1).toLocaleString('en-US')}–{(start + window.length).toLocaleString('en-US')} of{' '}
          {items.length.toLocaleString('en-US')}
        </Text>
      ) : null}
    </Box>
  );
}

/** Moves a cursor with the usual keys; returns the new position (unchanged when the key is not a move). */
export function moveCursor(
  cursor: number,
  length: number,
  key: { upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean },
  page = 10,
): number {
  if (length === 0) return 0;
  let next = cursor;
  if (key.upArrow) next = cursor - 1;
  else if (key.downArrow) next = cursor + 1;
  else if (key.pageUp) next = cursor - page;
  else if (key.pageDown) next = cursor + page;
  else if (key.home) next = 0;
  else if (key.end) next = length - 1;
  return Math.min(length - 1, Math.max(0, next));
}
