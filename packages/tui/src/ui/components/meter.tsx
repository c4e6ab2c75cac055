import { encryptedCopiesText, type RuleEvaluation } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { healthColor } from '../theme.js';

/** The live 3-2-1 meter: copies, distinct media, offsite, each with its count and what is missing, in words. */
export function Meter321({ evaluation: e, compact = false }: { evaluation: RuleEvaluation; compact?: boolean }) {
  const cell = (have: number, need: number) =>
    `${'█'.repeat(Math.min(have, need))}${'░'.repeat(Math.max(0, need - have))}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {`3-2-1 ${cell(e.copies, 3)} ${e.copies} copies  ${cell(e.media, 2)} ${e.media} kinds of media  `}
        {`${cell(e.offsite, 1)} ${e.offsite} offsite  `}
        <Text bold color={healthColor(e.ok ? 'ok' : 'warn')}>
          {e.ok ? 'OK' : 'NOT MET'}
        </Text>
      </Text>
      {e.encrypted.length > 0 ? <Text wrap="truncate-end">{`  ${encryptedCopiesText(e)}`}</Text> : null}
      {compact
        ? null
        : e.checks
            .filter((ch) => !ch.ok)
            .map((ch) => (
              <Text key={ch.rule} wrap="wrap">
                {'  missing: '}
                {ch.explanation}
              </Text>
            ))}
    </Box>
  );
}
