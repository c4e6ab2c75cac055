import { Box, Text } from 'ink';
import { type ReactNode, useState } from 'react';
import { Frame, useTerminalSize } from '../components/frame.js';
import type { Problem } from '../components/problem.js';
import { useExclusiveInput } from '../hooks/use-exclusive-input.js';
import { healthColor } from '../theme.js';

const KEYS = [
  { key: '↑↓', does: 'scroll' },
  { key: 'esc', does: 'back' },
];

/**
 * The full error view of a screen: `show(title, problems)` puts it over the screen, which stays mounted with its
 * state (a finished run is not started again on the way back); `view` is what the screen draws meanwhile.
 */
export function useErrorView(): { view: ReactNode; show: (title: string, problems: Problem[]) => void } {
  const [shown, setShown] = useState<{ title: string; problems: Problem[] }>();
  return {
    view: shown ? <ErrorView {...shown} onClose={() => setShown(undefined)} /> : null,
    show: (title, problems) => setShown({ title, problems }),
  };
}

/**
 * Every problem in full, wrapped rather than cut: the message, what to do, and its details (code, file,
 * destination). Lists elsewhere show a short form; this view is one key away from each of them. It has the keys
 * to itself while shown (the screen underneath must not act on them).
 */
function ErrorView({ title, problems, onClose }: { title: string; problems: Problem[]; onClose: () => void }) {
  const { rows } = useTerminalSize();
  const [top, setTop] = useState(0);
  // One entry per problem: scrolling moves by problem, so each starts at the top when reached.
  useExclusiveInput(true, (key) => {
    if (key.type === 'escape' || key.type === 'enter' || key.type === 'cancel') return onClose();
    if (key.type === 'text' && key.text.includes('q')) return onClose();
    if (key.type === 'down') return setTop((t) => Math.min(Math.max(0, problems.length - 1), t + 1));
    if (key.type === 'up') return setTop((t) => Math.max(0, t - 1));
  });
  const shown = problems.slice(top, top + Math.max(1, Math.floor((rows - 4) / 4)));
  return (
    <Frame
      title={title}
      right={problems.length > 1 ? `problem ${top + 1} of ${problems.length}` : undefined}
      keys={KEYS}
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
