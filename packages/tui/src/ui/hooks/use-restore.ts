import { describeError, LifeboatError, type RestoreSummary } from '@lifeboat/core';
import { useRef, useState } from 'react';
import type { Browsable } from '../../app/browse.js';

export interface RestoreView {
  phase: 'idle' | 'restoring' | 'done' | 'failed';
  files: number;
  bytes: number;
  done: number;
  doneBytes: number;
  failures: string[];
  summary?: RestoreSummary;
  error?: string;
  to?: string;
}

/** Restores selected copies with progress; every file is checked against its sha256 by core before it lands. */
export function useRestore() {
  const [view, setView] = useState<RestoreView>({
    phase: 'idle',
    files: 0,
    bytes: 0,
    done: 0,
    doneBytes: 0,
    failures: [],
  });
  const abort = useRef<AbortController | undefined>(undefined);
  const start = (browsable: Browsable, keys: ReadonlySet<string>, to: string) => {
    abort.current = new AbortController();
    const v: RestoreView = { phase: 'restoring', files: 0, bytes: 0, done: 0, doneBytes: 0, failures: [], to };
    setView({ ...v });
    browsable
      .restore(keys, to, {
        signal: abort.current.signal,
        onEvent: (e) => {
          if (e.type === 'restore-planned') [v.files, v.bytes] = [e.files, e.bytes];
          else if (e.type === 'restored') [v.done, v.doneBytes] = [v.done + 1, v.doneBytes + e.bytes];
          else if (e.type === 'restore-failed') v.failures.push(`${e.failure.key}: ${e.failure.message}`);
          setView({ ...v, failures: [...v.failures] });
        },
      })
      .then((summary) => setView({ ...v, phase: 'done', summary, failures: [...v.failures] }))
      .catch((error: unknown) =>
        setView({
          ...v,
          phase: 'failed',
          error: `${describeError(error)}${error instanceof LifeboatError && error.hint ? ` — ${error.hint}` : ''}`,
        }),
      );
  };
  return { view, start, stop: () => abort.current?.abort(new Error('stopped by the user')) };
}
