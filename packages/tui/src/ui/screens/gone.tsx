import type { VanishedRecord } from '@lifeboat/core';
import { Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { Frame, useTerminalSize } from '../components/frame.js';
import { moveCursor, VirtualList } from '../components/virtual-list.js';
import { count, fit, when } from '../format.js';
import { useUi } from '../nav.js';

const KEYS = [
  { key: '↑↓', does: 'move' },
  { key: 'b', does: 'browse & restore' },
  { key: 'esc', does: 'back' },
];

/** Every asset gone from its source, with when it went missing: all their copies are kept. */
export function GoneScreen() {
  const { app, nav } = useUi();
  const { rows } = useTerminalSize();
  const gone = useMemo<VanishedRecord[]>(() => app.dashboard.goneAssets(), [app]);
  const [cursor, setCursor] = useState(0);
  useInput((input, key) => {
    if (key.escape || input === 'q') return nav.back();
    if (input === 'b') return nav.go({ name: 'restore' });
    setCursor((at) => moveCursor(at, gone.length, key, rows - 8));
  });
  return (
    <Frame title={`Gone from the sources · ${count(gone.length)} · every copy is kept`} keys={KEYS}>
      <Text bold>
        {'  SOURCE'.padEnd(14)}
        {'FILE'.padEnd(30)}MISSING SINCE
      </Text>
      <VirtualList
        items={gone}
        cursor={cursor}
        height={rows - 6}
        empty="Nothing has gone missing from the sources."
        render={(g, _, focused) => (
          <Text wrap="truncate-end">
            {focused ? '> ' : '  '}
            {fit(g.source, 12)}
            {fit(g.fileName, 30)}
            {when(g.firstMissingAt)}
            {g.inSourceTrash ? '  (in Recently Deleted)' : ''}
          </Text>
        )}
      />
    </Frame>
  );
}
