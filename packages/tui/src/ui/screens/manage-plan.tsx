import { evaluate321 } from '@lifeboat/core';
import { Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { type Described, ruleDestinations, ruleLines } from '../../app/destination-facts.js';
import type { PlanSetArgs } from '../../app/plans.js';
import { ErrorText } from '../components/error-text.js';
import { Frame } from '../components/frame.js';
import { Meter321 } from '../components/meter.js';
import { moveCursor } from '../components/virtual-list.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useUi } from '../nav.js';

const KEYS = [
  { key: '↑↓', does: 'choose' },
  { key: 'space', does: 'in / out of the plan' },
  { key: 'enter', does: 'save' },
  { key: 'esc', does: 'cancel' },
];

const HELP =
  "A plan's sources and destinations: space puts one in or takes it out, enter saves (as `lifeboat plan set " +
  '--add-source/--remove-source/--add-destination/--remove-destination`). A plan keeps at least one of each; ' +
  'taking a destination out keeps its copies. The 3-2-1 meter follows the destinations ticked.';

interface Row {
  kind: 'source' | 'destination';
  name: string;
}

/** Adds and removes a plan's sources and destinations; after saving, the 3-2-1 evaluation as `plan set` prints it. */
export function PlanMembers({
  plan,
  onDone,
  onCancel,
}: {
  plan: string;
  onDone: (said: string, lines: string[]) => void;
  onCancel: () => void;
}) {
  const { app } = useUi();
  const [config] = useState(() => app.config());
  const was = config.plans[plan]!;
  const rows: Row[] = [
    ...Object.keys(config.sources).map((name) => ({ kind: 'source' as const, name })),
    ...Object.keys(config.destinations).map((name) => ({ kind: 'destination' as const, name })),
  ];
  // Synchronous: a burst of keys (Down Down Space) must toggle the row the Downs reached.
  const [picked, setPicked, pickedNow] = useSyncState(
    () => new Set([...was.sources.map((s) => `source:${s}`), ...was.destinations.map((d) => `destination:${d}`)]),
  );
  const [cursor, setCursor, cursorNow] = useSyncState(0);
  const [described, setDescribed] = useState<Described[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    void app.destinations.describeAll().then(setDescribed);
  }, [app]);
  const save = () => {
    const now = (kind: Row['kind']) => rows.filter((r) => r.kind === kind && pickedNow().has(`${r.kind}:${r.name}`));
    const names = (list: Row[]) => list.map((r) => r.name);
    const sources = names(now('source'));
    const destinations = names(now('destination'));
    const args: PlanSetArgs = {
      addSource: sources.filter((s) => !was.sources.includes(s)),
      removeSource: was.sources.filter((s) => !sources.includes(s)),
      addDestination: destinations.filter((d) => !was.destinations.includes(d)),
      removeDestination: was.destinations.filter((d) => !destinations.includes(d)),
    };
    setBusy(true);
    setError(undefined);
    app.plans
      .set(plan, args)
      .then(async (changes) => {
        const lines = ruleLines(await app.destinations.describe(app.plans.destinationsOf(plan)));
        onDone(`Plan "${plan}": ${changes.join('; ')}.`, lines);
      })
      .catch((e: unknown) => {
        setError(e);
        setBusy(false);
      });
  };
  useInput(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.return) return save();
      const row = rows[cursorNow()];
      if (input === ' ' && row) {
        const id = `${row.kind}:${row.name}`;
        setPicked((was) => {
          const next = new Set(was);
          next.has(id) ? next.delete(id) : next.add(id);
          return next;
        });
        return;
      }
      setCursor((at) => moveCursor(at, rows.length, key));
    },
    { isActive: !busy },
  );
  const meter = described
    ? evaluate321(ruleDestinations(described.filter((d) => picked.has(`destination:${d.name}`))))
    : undefined;
  return (
    <Frame title={`Plan "${plan}": sources and destinations`} keys={KEYS} help={HELP}>
      {rows.map((r, i) => (
        <Text key={`${r.kind}:${r.name}`} wrap="truncate-end">
          {i === cursor ? '> ' : '  '}
          {picked.has(`${r.kind}:${r.name}`) ? '[x] ' : '[ ] '}
          {r.kind.padEnd(12)}
          {r.name}
        </Text>
      ))}
      <Text> </Text>
      {meter ? <Meter321 evaluation={meter} compact /> : <Text>Checking the destinations…</Text>}
      {busy ? <Text>Saving…</Text> : null}
      {error ? <ErrorText error={error} /> : null}
    </Frame>
  );
}
