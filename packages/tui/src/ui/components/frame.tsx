import { Box, Text, useWindowSize } from 'ink';
import type { ReactNode } from 'react';
import { accent } from '../theme.js';

export interface Key {
  key: string;
  does: string;
}

/** The bottom line of every screen: the keys that work here, so everything is discoverable from the screen. */
export function HelpLine({ keys }: { keys: Key[] }) {
  return (
    <Text wrap="truncate-end">
      {keys.map((k, i) => (
        <Text key={k.key}>
          {i > 0 ? '  ' : ''}
          <Text bold color={accent()}>
            [{k.key}]
          </Text>{' '}
          {k.does}
        </Text>
      ))}
    </Text>
  );
}

/** One screen: a title line, the body (filling the terminal's height), the help line. Redrawn on resize. */
export function Frame({
  title,
  right,
  keys,
  children,
}: {
  title: string;
  right?: string;
  keys: Key[];
  children: ReactNode;
}) {
  const { columns, rows } = useTerminalSize();
  const width = Math.max(40, columns);
  return (
    <Box flexDirection="column" width={width} height={Math.max(10, rows)}>
      <Box justifyContent="space-between">
        <Text bold wrap="truncate-end">
          {' '}
          {title}
        </Text>
        {right ? <Text wrap="truncate-start">{right} </Text> : null}
      </Box>
      <Text>{'─'.repeat(width)}</Text>
      <Box flexDirection="column" flexGrow={1} paddingLeft={1} paddingRight={1} overflow="hidden">
        {children}
      </Box>
      <HelpLine keys={keys} />
    </Box>
  );
}

/** The terminal's size; a test's fake stdout has no rows, so 24 (the smallest size the UI supports) stands in. */
export function useTerminalSize(): { columns: number; rows: number } {
  const size = useWindowSize();
  return { columns: size.columns || 80, rows: Number.isFinite(size.rows) && size.rows > 0 ? size.rows : 24 };
}
