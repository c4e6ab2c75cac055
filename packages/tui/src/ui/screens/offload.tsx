import { KEEP_REASONS, type KeepReason } from '@lifeboat/core';
import { Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { OffloadOutcome } from '../../app/offload.js';
import { offloadSpec } from '../../app/offload-spec.js';
import { ErrorText } from '../components/error-text.js';
import { Frame } from '../components/frame.js';
import { formatBytes } from '../format.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';

/** Why photos stay, in the words of `lifeboat offload`'s summary. */
const REASON: Record<KeepReason, string> = {
  'too-recent': 'too recent',
  favorite: 'favourite',
  'kept-album': 'in a kept album',
  'in-source-trash': 'already in Recently Deleted',
  'resource-without-copy': 'a file without a copy',
  'not-321': 'copies short of 3-2-1 without iCloud',
  'never-verified': 'a copy never read back since it was written (run verify)',
  'verified-too-long-ago': 'a copy not read back within 7 days (run verify)',
  'destination-unreachable': 'a destination holding the copies is unreachable',
};

/** `lifeboat offload`'s default rule: no age limit, copies verified within 7 days, 3 copies on 2 media, 1 offsite. */
const { rule } = offloadSpec({ keepAlbums: [] });

type Phase =
  | { at: 'planning' }
  | { at: 'planned'; outcome: OffloadOutcome; typed: string }
  | { at: 'moving'; moved: number; total: number }
  | { at: 'done'; outcome: OffloadOutcome }
  | { at: 'failed'; error: unknown };

/**
 * Frees space in a source as `lifeboat offload` does, with its default rule: the dry run first (what would move,
 * the bytes freed, why the rest stays), then the number of photos typed back as the confirmation before anything
 * moves (capped at that number), progress while they move, and what happened.
 */
export function OffloadScreen({ source }: { source: string }) {
  const { app, nav } = useUi();
  const [phase, setPhase] = useState<Phase>({ at: 'planning' });
  const abort = useRef(new AbortController());
  useEffect(() => {
    const signal = abort.current.signal;
    app.offload
      .offload({ source, rule, yes: false }, signal)
      .then((outcome) => setPhase({ at: 'planned', outcome, typed: '' }))
      .catch((error: unknown) => setPhase({ at: 'failed', error }));
    return () => abort.current.abort();
  }, [app, source]);
  const move = (total: number) => {
    setPhase({ at: 'moving', moved: 0, total });
    app.offload
      .offload({ source, rule, yes: true, max: total }, abort.current.signal, (moved) =>
        setPhase({ at: 'moving', moved, total }),
      )
      .then((outcome) => setPhase({ at: 'done', outcome }))
      .catch((error: unknown) => setPhase({ at: 'failed', error }));
  };
  useInput((input, key) => {
    if (phase.at === 'moving') return; // a move in flight finishes its batch: the run stops at the first anomaly
    if (key.escape) return nav.back();
    if (phase.at !== 'planned') return;
    const wanted = phase.outcome.plan.move.length;
    if (key.return) return phase.typed === String(wanted) && wanted > 0 ? move(wanted) : undefined;
    if (key.backspace || key.delete) return setPhase({ ...phase, typed: phase.typed.slice(0, -1) });
    if (/^\d+$/.test(input)) setPhase({ ...phase, typed: phase.typed + input });
  });
  const keys = [
    ...(phase.at === 'planned' ? [{ key: '0-9 enter', does: 'type the number to move' }] : []),
    { key: 'esc', does: 'back' },
  ];
  return (
    <Frame title={`Free up space in ${source} · only photos verified on a 3-2-1 backup`} keys={keys}>
      {phase.at === 'planning' ? <Text>Checking every photo's copies (nothing is changed)…</Text> : null}
      {phase.at === 'failed' ? <ErrorText error={phase.error} /> : null}
      {phase.at === 'planned' || phase.at === 'done' ? <Summary outcome={phase.outcome} /> : null}
      {phase.at === 'planned' ? <Confirm outcome={phase.outcome} typed={phase.typed} /> : null}
      {phase.at === 'moving' ? (
        <Text>
          Moving to Recently Deleted: {phase.moved} of {phase.total}… (each after a copy is read back)
        </Text>
      ) : null}
      {phase.at === 'done' ? <Done outcome={phase.outcome} /> : null}
    </Frame>
  );
}

function Summary({ outcome }: { outcome: OffloadOutcome }) {
  const { plan } = outcome;
  return (
    <>
      <Text bold>
        Would move {plan.move.length} photos to Recently Deleted, freeing {formatBytes(plan.bytes)}.
      </Text>
      <Text>Kept in iCloud: {plan.keep.length} photos.</Text>
      {KEEP_REASONS.filter((r) => plan.reasons[r] > 0).map((r) => (
        <Text key={r}>{`  ${String(plan.reasons[r]).padStart(6)}  ${REASON[r]}`}</Text>
      ))}
      {outcome.unreachable.map((u) => (
        <Text key={u.name} color={healthColor('warn')} wrap="truncate-end">
          Destination {u.name} is unreachable: {u.reason}
        </Text>
      ))}
    </>
  );
}

function Confirm({ outcome, typed }: { outcome: OffloadOutcome; typed: string }) {
  const n = outcome.plan.move.length;
  if (n === 0) return <Text>Nothing can move now: every photo stays. Nothing was changed.</Text>;
  return (
    <>
      <Text> </Text>
      <Text wrap="wrap">
        Nothing was changed. To move them, type {n} and press enter. iCloud keeps them in Recently Deleted for 30 days;
        Lifeboat never empties it.
      </Text>
      <Text>
        {'Photos to move: '}
        <Text color={accent()}>{typed}</Text>
        {typed !== '' && typed !== String(n) ? `  (type ${n})` : ''}
      </Text>
    </>
  );
}

function Done({ outcome }: { outcome: OffloadOutcome }) {
  const bytes = outcome.moved.reduce((sum, d) => sum + d.bytes, 0);
  return (
    <>
      <Text> </Text>
      <Text bold color={healthColor(outcome.stopped ? 'warn' : 'ok')}>
        Moved {outcome.moved.length} photos to Recently Deleted, freeing {formatBytes(bytes)}.
      </Text>
      {outcome.stopped ? (
        <Text wrap="wrap" color={healthColor('warn')}>
          Stopped at {outcome.stopped.assetId} ({outcome.stopped.reason}): {outcome.stopped.message}. Nothing further
          was moved.
        </Text>
      ) : null}
    </>
  );
}
