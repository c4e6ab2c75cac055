import { Box, Text } from 'ink';
import { useState } from 'react';
import { Frame, useTerminalSize } from '../components/frame.js';
import type { Problem } from '../components/problem.js';
import { useKeys } from '../hooks/use-keys.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';

const KEYS = [
  { key: '↑↓', does: 'scroll' },
  { key: 'esc', does: 'back' },
];

/**
 * Every problem in full, wrapped rather than cut: the message, what to do, and its details (code, file,
 * destination). Lists elsewhere show a short form; this screen is one key away from each of them.
 */
export function ErrorViewScreen({ title, problems }: { title: string; problems: Problem[] }) {
  const { nav } = useUi();
  const { rows } = useTerminalSize();
  const [top, setTop] = useState(0);
  // One entry per problem: scrolling moves by problem, so each starts at the top when reached.
  useKeys((input, key) => {
    if (key.escape || key.return || input === 'q') return nav.back();
    if (key.downArrow || key.pageDown) return setTop((t) => Math.min(Math.max(0, problems.length - 1), t + 1));
    if (key.upArrow || key.pageUp) return setTop((t) => Math.max(0, t - 1));
  });
  const shown = problems.slice(top, top + Math.max(1, Math.floor((rows - 4) / 4)));
  return (
    <Frame
      title={title}
      right={problems.length > 1 ? `problem ${top + 1} of ${problems.length}` : undefined}
      keys={KEYS}
      help="Each problem in full: what happened, what to do, and the details (error code, file, destination)."
    >
      {problems.length === 0 ? <Text>No problem was recorded.</Text> : null}
      {shown.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: problems can repeat word for word; their place tells them apart
        <Box key={top + i} flexDirection="column" marginBottom={1}>
          <Text color={healthColor('bad')} bold wrap="wrap">
            Problem: {p.problem}
          </Text>
          {p.hint ? <Text wrap="wrap">What to do: {p.hint}</Text> : null}
          {p.details.length > 0 ? (
            <Text dimColor wrap="wrap">
              {p.details.join(' · ')}
            </Text>
          ) : null}
        </Box>
      ))}
    </Frame>
  );
}
