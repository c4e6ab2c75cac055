import { Box, Text, useInput, useWindowSize } from 'ink';
import { type ReactNode, useState } from 'react';
import { useExclusiveInput } from '../hooks/use-exclusive-input.js';
import { isTyping } from '../hooks/use-typing.js';
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

/**
 * One screen: a title line, the body (filling the terminal's height), the help line. Redrawn on resize.
 * `?` (unless a text field has the keys) shows the screen's help: `help`, and every key of `keys` and `more`
 * (keys that work here but do not fit the bottom line); any key closes it.
 */
export function Frame({
  title,
  right,
  keys,
  more = [],
  help,
  children,
}: {
  title: string;
  right?: string | undefined;
  keys: Key[];
  more?: Key[];
  help?: string;
  children: ReactNode;
}) {
  const { columns, rows } = useTerminalSize();
  const width = Math.max(40, columns);
  const [helping, setHelping] = useState(false);
  useInput(
    (input) => {
      if (input === '?' && !isTyping()) setHelping(true);
    },
    { isActive: !helping },
  );
  useExclusiveInput(helping, () => setHelping(false));
  return (
    <Box flexDirection="column" width={width} height={Math.max(10, rows)}>
      <Box justifyContent="space-between">
        <Text bold wrap="truncate-end">
          {' '}
          {title}
        </Text>
        {right ? <Text wrap="truncate-start">{right} </Text> : null}
      </Box>
      <Text>
        {'─'.repeat(Math.max(0, width - 11))}
        {helping ? '───────────' : ' [?] help ─'}
      </Text>
      <Box
        display={helping ? 'none' : 'flex'}
        flexDirection="column"
        flexGrow={1}
        paddingLeft={1}
        paddingRight={1}
        overflow="hidden"
      >
        {children}
      </Box>
      {helping ? <HelpBody help={help} keys={[...keys, ...more]} /> : null}
      <HelpLine keys={helping ? [{ key: 'any key', does: 'close the help' }] : keys} />
    </Box>
  );
}

function HelpBody({ help, keys }: { help: string | undefined; keys: Key[] }) {
  const all = [...keys, { key: '?', does: 'this help' }, { key: 'ctrl-c', does: 'quit (a run asks first)' }];
  const width = Math.max(...all.map((k) => k.key.length)) + 3;
  return (
    <Box flexDirection="column" flexGrow={1} paddingLeft={1} paddingRight={1} overflow="hidden">
      <Text bold>Help for this screen</Text>
      {help ? <Text wrap="wrap">{help}</Text> : null}
      <Text> </Text>
      {all.map((k) => (
        <Text key={k.key} wrap="wrap">
          <Text bold color={accent()}>
            {`[${k.key}]`.padEnd(width)}
          </Text>
          {k.does}
        </Text>
      ))}
    </Box>
  );
}

/** The terminal's size; a test's fake stdout has no rows, so 24 (the smallest size the UI supports) stands in. */
export function useTerminalSize(): { columns: number; rows: number } {
  const size = useWindowSize();
  return { columns: size.columns || 80, rows: Number.isFinite(size.rows) && size.rows > 0 ? size.rows : 24 };
}
