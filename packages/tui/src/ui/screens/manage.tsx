import type { LifeboatConfig, Settings } from '@lifeboat/core';
import { Text, useInput } from 'ink';
import { Fragment, useState } from 'react';
import { ErrorText } from '../components/error-text.js';
import { Frame } from '../components/frame.js';
import { moveCursor } from '../components/virtual-list.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { InstanceForm } from '../wizard/instance-form.js';
import { PlanMembers } from './manage-plan.js';

type Kind = 'source' | 'destination' | 'plan';
interface Item {
  kind: Kind;
  name: string;
  what: string;
}

const KEYS = [
  { key: '↑↓', does: 'choose' },
  { key: 'e', does: 'edit' },
  { key: 'd', does: 'remove' },
  { key: 'esc', does: 'back' },
];

const HELP =
  "Manage: every source, destination and plan. [e] edits the chosen one (a source's or destination's settings, " +
  "a plan's sources and destinations), [d] removes it after asking; removing never deletes backed-up copies. " +
  'The same as `lifeboat source|destination|plan set` and `remove` on the command line.';

const HEADINGS: Record<Kind, string> = { source: 'SOURCES', destination: 'DESTINATIONS', plan: 'PLANS' };

type Mode =
  | { name: 'list' }
  | { name: 'confirm'; item: Item }
  | { name: 'edit'; item: Item }
  | { name: 'done'; said: string; lines?: string[] };

/** Sources, destinations and plans: each edited or removed, the same as the CLI's `set` and `remove`. */
export function ManageScreen() {
  const { app, nav } = useUi();
  const [config, setConfig] = useState(() => app.config());
  // Synchronous: keys in one burst (Down Down d y) each start from where the one before left.
  const [cursor, setCursor, cursorNow] = useSyncState(0);
  const [mode, setMode, modeNow] = useSyncState<Mode>({ name: 'list' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const items = itemsOf(config);
  const item = items[Math.min(cursor, items.length - 1)];
  const finish = (said: string, lines?: string[]) => {
    const now = app.config();
    setConfig(now);
    // Something removed: the cursor stays on a row that still exists.
    setCursor((at) => Math.max(0, Math.min(at, itemsOf(now).length - 1)));
    setMode({ name: 'done', said, ...(lines ? { lines } : {}) });
  };
  const remove = (target: Item) => {
    setBusy(true);
    setError(undefined);
    const removed =
      target.kind === 'plan' ? app.plans.remove(target.name) : app.instances.remove(target.kind, target.name);
    removed
      .then(() => finish(`${labelOf(target)} removed. Backed-up copies are kept.`))
      .catch((e: unknown) => {
        setError(e);
        setMode({ name: 'list' });
      })
      .finally(() => setBusy(false));
  };
  useInput(
    (input, key) => {
      const mode = modeNow();
      if (mode.name === 'edit') return; // the rest of a burst that opened the editor
      const item = items[Math.min(cursorNow(), items.length - 1)];
      if (mode.name === 'confirm') {
        if (input === 'y') return remove(mode.item);
        return setMode({ name: 'list' });
      }
      if (key.escape || input === 'q') {
        if (mode.name === 'done') return setMode({ name: 'list' });
        return nav.back();
      }
      if (mode.name === 'done') setMode({ name: 'list' });
      if (input === 'e' && item) {
        setError(undefined);
        return setMode({ name: 'edit', item });
      }
      if (input === 'd' && item) {
        setError(undefined);
        return setMode({ name: 'confirm', item });
      }
      setCursor((at) => moveCursor(at, items.length, key));
    },
    { isActive: mode.name !== 'edit' && !busy },
  );
  if (mode.name === 'edit') {
    const back = () => setMode({ name: 'list' });
    const { item: target } = mode;
    if (target.kind === 'plan') {
      return <PlanMembers plan={target.name} onDone={(said, lines) => finish(said, lines)} onCancel={back} />;
    }
    const instance = config[target.kind === 'source' ? 'sources' : 'destinations'][target.name]!;
    return (
      <Frame title={`Edit ${target.kind} "${target.name}"`} keys={FORM_KEYS} help={FORM_HELP}>
        <InstanceForm
          kind={target.kind}
          type={instance.type}
          defaultName={target.name}
          editing={{ settings: instance.settings }}
          onSaved={(_, said) => finish(`${labelOf(target)}: ${said.join('; ')}.`)}
          onCancel={back}
        />
      </Frame>
    );
  }
  return (
    <Frame title="Manage" keys={KEYS} help={HELP}>
      {(['source', 'destination', 'plan'] as const).map((kind) => (
        <Fragment key={kind}>
          <Text bold>
            {'  '}
            {HEADINGS[kind]}
          </Text>
          {items.every((i) => i.kind !== kind) ? <Text dimColor>{'  '}none</Text> : null}
          {items
            .filter((i) => i.kind === kind)
            .map((i) => (
              <Text key={i.name} wrap="truncate-end">
                {i === item ? '> ' : '  '}
                {i.name.padEnd(16)} {i.what}
              </Text>
            ))}
        </Fragment>
      ))}
      <Text> </Text>
      {mode.name === 'confirm' ? (
        <Text wrap="wrap" color={healthColor('warn')} bold>
          Remove {labelOf(mode.item)}? Its backed-up copies are kept. [y] remove · any other key keeps it
        </Text>
      ) : null}
      {busy ? <Text>Removing…</Text> : null}
      {mode.name === 'done' ? (
        <>
          <Text wrap="wrap" color={healthColor('ok')}>
            {mode.said}
          </Text>
          {(mode.lines ?? []).map((line) => (
            <Text key={line} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </>
      ) : null}
      {error ? <ErrorText error={error} /> : null}
    </Frame>
  );
}

const FORM_KEYS = [
  { key: '↑↓', does: 'field' },
  { key: 'enter', does: 'next / save' },
  { key: 'esc', does: 'cancel' },
];
const FORM_HELP =
  'Change the settings and save: Lifeboat proves the result works first (a destination must still hold its own ' +
  'backup), as `lifeboat source|destination set` does; nothing is saved until then. An empty secret keeps the ' +
  'stored one; esc leaves it as it was.';

function labelOf(i: Item): string {
  return `${i.kind === 'plan' ? 'Plan' : i.kind === 'source' ? 'Source' : 'Destination'} "${i.name}"`;
}

/** Every source, destination and plan, each with what it is in a few words. */
function itemsOf(config: LifeboatConfig): Item[] {
  const instances = (kind: 'source' | 'destination') =>
    Object.entries(config[kind === 'source' ? 'sources' : 'destinations']).map(([n, c]) => ({
      kind,
      name: n,
      what: `${c.type.padEnd(8)} ${usedBy(config, kind, n)}${summary(c.settings)}`,
    }));
  const plans = Object.entries(config.plans).map(([n, p]) => ({
    kind: 'plan' as const,
    name: n,
    what: `${p.sources.join(', ')} → ${p.destinations.join(', ')} · ${p.schedule ?? 'only when asked'}`,
  }));
  return [...instances('source'), ...instances('destination'), ...plans];
}

/** "in family · " when plans use it: what a remove would be refused for. */
function usedBy(config: LifeboatConfig, kind: 'source' | 'destination', name: string): string {
  const plans = Object.entries(config.plans)
    .filter(([, p]) => (kind === 'source' ? p.sources : p.destinations).includes(name))
    .map(([n]) => n);
  return plans.length > 0 ? `in ${plans.join(', ')} · ` : '';
}

/** The settings that say where it is, first: "path=/media/drive" or "bucket=b endpoint=…". */
function summary(settings: Settings): string {
  return Object.entries(settings)
    .filter(([, v]) => typeof v !== 'object' || Array.isArray(v))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}
