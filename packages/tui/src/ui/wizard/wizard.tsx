import { Box, Text } from 'ink';
import { useState } from 'react';
import { Frame } from '../components/frame.js';
import { useUi } from '../nav.js';
import { DestinationsStep } from './destinations-step.js';
import { PlanStep } from './plan-step.js';
import { SourceStep } from './source-step.js';

export type Step = 'source' | 'destinations' | 'plan';

const TITLES: Record<Step, string> = {
  source: 'Where do the photos come from?',
  destinations: 'Where should the copies go?',
  plan: 'Make a plan',
};
const ORDER: Step[] = ['source', 'destinations', 'plan'];

/** First run: one question per screen, always a way back: a source (signed in), destinations, then a plan. */
export function Wizard({ step: initial }: { step: Step }) {
  const { nav } = useUi();
  const [step, setStep] = useState<Step>(initial);
  const [keys, setKeys] = useState([
    { key: '↑↓', does: 'move' },
    { key: 'enter', does: 'choose' },
    { key: 'esc', does: 'back' },
  ]);
  const [said, setSaid] = useState<string[]>([]);
  const next = (lines: string[] = []) => {
    setSaid(lines);
    const at = ORDER.indexOf(step);
    if (at === ORDER.length - 1) nav.go({ name: 'dashboard' });
    else setStep(ORDER[at + 1]!);
  };
  const back = () => {
    setSaid([]);
    const at = ORDER.indexOf(step);
    if (at === 0) nav.back();
    else setStep(ORDER[at - 1]!);
  };
  return (
    <Frame title={`Set up Lifeboat · step ${ORDER.indexOf(step) + 1} of 3 · ${TITLES[step]}`} keys={keys}>
      <Box flexDirection="column">
        {said.map((line) => (
          <Text key={line} wrap="truncate-end">
            {line}
          </Text>
        ))}
        {step === 'source' ? <SourceStep onNext={next} onBack={back} setKeys={setKeys} /> : null}
        {step === 'destinations' ? <DestinationsStep onNext={next} onBack={back} setKeys={setKeys} /> : null}
        {step === 'plan' ? <PlanStep onNext={next} onBack={back} setKeys={setKeys} /> : null}
      </Box>
    </Frame>
  );
}

export interface StepProps {
  onNext: (said?: string[]) => void;
  onBack: () => void;
  setKeys: (keys: { key: string; does: string }[]) => void;
}
