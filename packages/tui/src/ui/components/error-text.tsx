import { describeError, LifeboatError } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { healthColor } from '../theme.js';

/** An error as the user should read it: what happened, then what to do (core's errors carry the hint). */
export function ErrorText({ error }: { error: unknown }) {
  const hint = error instanceof LifeboatError ? error.hint : undefined;
  return (
    <Box flexDirection="column">
      <Text color={healthColor('bad')} bold wrap="wrap">
        Problem: {error instanceof LifeboatError ? error.message : describeError(error)}
      </Text>
      {hint ? <Text wrap="wrap">What to do: {hint}</Text> : null}
    </Box>
  );
}
