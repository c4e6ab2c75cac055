import { evaluate321 } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { ruleDestinations } from '../../app/destination-facts.js';
import type { IncludeFlag } from '../../app/source-options.js';
import { ErrorText } from '../components/error-text.js';
import { Meter321 } from '../components/meter.js';
import { labelOf } from '../components/schema-fields.js';
import { useDescribed } from '../hooks/use-described.js';
import { useKeys } from '../hooks/use-keys.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { useTyping } from '../hooks/use-typing.js';
import { useUi } from '../nav.js';
import { accent } from '../theme.js';
import { type DryRunState, DryRunView } from './dry-run-view.js';
import type { StepProps } from './wizard.js';

const KEYS = [
  { key: '↑↓', does: 'move' },
  { key: 'space', does: 'toggle' },
  { key: '1-9', does: 'include' },
  { key: 'enter', does: 'next / save' },
  { key: 'esc', does: 'back' },
];

type Row =
  | { type: 'name' }
  | { type: 'source' | 'destination' | 'include'; name: string }
  | { type: 'dry-run' }
  | { type: 'save' };

/** Step 3: which sources go to which destinations, with the live 3-2-1 meter; saving adds the plan. */
export function PlanStep({ onNext, onBack, setKeys }: StepProps) {
  const { app } = useUi();
  const config = useMemo(() => app.config(), [app]);
  const sources = Object.keys(config.sources);
  const destinations = Object.keys(config.destinations);
  const nameField = useTextField(Object.keys(config.plans).length === 0 ? 'photos' : '');
  const [picked, setPicked] = useState(
    () => new Set([...sources.map((s) => `s:${s}`), ...destinations.map((d) => `d:${d}`)]),
  );
  const [cursor, setCursor, cursorNow] = useSyncState(0);
  const [error, setError] = useState<unknown>();
  const [dry, setDry] = useState<DryRunState>();
  const [include, setInclude] = useState<Record<string, IncludeFlag[]>>({});
  useEffect(() => {
    void app.sourceOptions.all().then(setInclude);
  }, [app]);
  const described = useDescribed(app);
  useEffect(() => setKeys(KEYS), [setKeys]);
  const rows: Row[] = [
    { type: 'name' },
    ...sources.flatMap((s) => [
      { type: 'source' as const, name: s },
      ...(include[s] ? [{ type: 'include' as const, name: s }] : []),
    ]),
    ...destinations.map((d) => ({ type: 'destination' as const, name: d })),
    { type: 'dry-run' },
    { type: 'save' },
  ];
  useTyping(rows[cursor]?.type === 'name');
  const chosen = (kind: 's' | 'd') => [...picked].filter((p) => p.startsWith(`${kind}:`)).map((p) => p.slice(2));
  const save = () => {
    Promise.all(Object.entries(include).map(([s, flags]) => app.sourceOptions.set(s, flags)))
      .then(() => app.plans.add(nameField.now().trim(), chosen('s'), chosen('d')))
      .then(() => onNext([`Plan "${nameField.now().trim()}" saved. Press [r] to run it now.`]))
      .catch(setError);
  };
  useKeys((input, key) => {
    // The cursor as the keys before this one in the same chunk left it.
    const cursor = cursorNow();
    const row = rows[cursor]!;
    if (key.escape) return onBack();
    if (key.upArrow) return setCursor(Math.max(0, cursor - 1));
    if (key.downArrow || key.tab) return setCursor(Math.min(rows.length - 1, cursor + 1));
    if (key.return && row.type === 'dry-run') {
      setDry({ busy: true });
      return void app.dryRun.preview(chosen('s'), chosen('d'), new AbortController().signal).then(
        (result) => setDry({ result }),
        (e: unknown) => setDry({ error: e }),
      );
    }
    if (key.return) return row.type === 'save' ? save() : setCursor(cursor + 1);
    if (row.type === 'name') {
      nameField.handle(input, key);
      return;
    }
    if (row.type === 'include' && /^[1-9]$/.test(input)) {
      const flags = include[row.name]!;
      const at = Number(input) - 1;
      if (flags[at]) setInclude({ ...include, [row.name]: flags.map((f, i) => (i === at ? { ...f, on: !f.on } : f)) });
      return;
    }
    if (input === ' ' && (row.type === 'source' || row.type === 'destination')) {
      const id = `${row.type === 'source' ? 's' : 'd'}:${row.name}`;
      const next = new Set(picked);
      next.has(id) ? next.delete(id) : next.add(id);
      setPicked(next);
    }
  });
  const meter = described
    ? evaluate321(ruleDestinations(described.filter((d) => picked.has(`d:${d.name}`))))
    : undefined;
  const mark = (i: number) => <Text color={i === cursor ? accent() : undefined}>{i === cursor ? '> ' : '  '}</Text>;
  return (
    <Box flexDirection="column">
      {rows.map((r, i) => {
        if (r.type === 'name')
          return (
            <Text key="name">
              {mark(i)}
              {'Plan name'.padEnd(14)}
              {nameField.shown(i === cursor)}
            </Text>
          );
        if (r.type === 'include')
          return (
            <Text key={`include:${r.name}`} wrap="truncate-end">
              {mark(i)}
              {'  include'.padEnd(14)}
              {include[r.name]!.map((f, n) => `${n + 1}[${f.on ? 'x' : ' '}] ${labelOf(f.key)}`).join('  ')}
            </Text>
          );
        if (r.type === 'dry-run')
          return (
            <Text key="dry-run" bold={i === cursor}>
              {mark(i)}[ Dry run: what the first run would copy ]
            </Text>
          );
        if (r.type === 'save')
          return (
            <Text key="save" bold={i === cursor}>
              {mark(i)}[ Save the plan ]
            </Text>
          );
        const on = picked.has(`${r.type === 'source' ? 's' : 'd'}:${r.name}`);
        const desc = described?.find((d) => d.name === r.name)?.description;
        return (
          <Text key={`${r.type}:${r.name}`} wrap="truncate-end">
            {mark(i)}
            {(r.type === 'source' ? 'Source' : 'Destination').padEnd(14)}[{on ? 'x' : ' '}] {r.name}
            {r.type === 'source'
              ? ` (${config.sources[r.name]!.type})`
              : desc
                ? ` (${desc.mediumKind}${desc.offsite ? ', offsite' : ''})`
                : ''}
          </Text>
        );
      })}
      <Text> </Text>
      {meter ? <Meter321 evaluation={meter} /> : <Text>Checking the destinations…</Text>}
      <DryRunView state={dry} />
      {error ? <ErrorText error={error} /> : null}
    </Box>
  );
}
