import type { PluginInfo } from '@lifeboat/core';
import { Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { Frame } from '../components/frame.js';
import { moveCursor } from '../components/virtual-list.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';

const STATE_WORDS = { active: 'active', inactive: 'not yet activated', failed: 'failed' } as const;
const KEYS = [
  { key: '↑↓', does: 'move' },
  { key: 'esc', does: 'back' },
];

/** Installed plugins, what each contributes, and their state (a failed one says why). */
export function PluginsScreen() {
  const { app, nav } = useUi();
  const [plugins, setPlugins] = useState<PluginInfo[]>();
  const [cursor, setCursor] = useState(0);
  useEffect(() => {
    void app.plugins.list().then(setPlugins);
  }, [app]);
  useInput((input, key) => {
    if (key.escape || input === 'q') return nav.back();
    setCursor((at) => moveCursor(at, plugins?.length ?? 0, key));
  });
  const focused = plugins?.[cursor];
  return (
    <Frame title="Plugins" keys={KEYS}>
      <Text bold>
        {'  ID'.padEnd(12)}
        {'VERSION'.padEnd(10)}
        {'CONTRIBUTES'.padEnd(32)}STATE
      </Text>
      {(plugins ?? []).map((p, i) => (
        <Text key={p.id} wrap="truncate-end">
          {i === cursor ? '> ' : '  '}
          {p.id.padEnd(10)}
          {p.version.padEnd(10)}
          {[...p.sources.map((s) => `source ${s}`), ...p.destinations.map((d) => `destination ${d}`)]
            .join(', ')
            .padEnd(32)}
          <Text color={healthColor(p.state === 'failed' ? 'bad' : 'ok')}>{STATE_WORDS[p.state]}</Text>
          {p.builtin ? ' (built-in)' : ''}
        </Text>
      ))}
      {focused?.error ? <Text>Why it failed: {focused.error}</Text> : null}
      <Text> </Text>
      <Text>
        Add a plugin's source or destination from [a] on the home screen; its settings form comes from its manifest.
      </Text>
    </Frame>
  );
}
