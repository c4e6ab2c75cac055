import { describeError, LifeboatError, type PickSummary } from '@lifeboat/core';
import { useRef, useState } from 'react';
import type { SourceBrowsable } from '../../app/source-browse.js';

export interface PickView {
  phase: 'idle' | 'downloading' | 'done' | 'failed';
  /** Files and bytes the selection holds, and how far the download has got. */
  files: number;
  bytes: number;
  done: number;
  doneBytes: number;
  failures: string[];
  summary?: PickSummary;
  error?: string;
  to?: string;
}

const IDLE: PickView = { phase: 'idle', files: 0, bytes: 0, done: 0, doneBytes: 0, failures: [] };

/** Downloads the selected photos from a source with progress; core checks every file's size before it lands. */
export function usePick() {
  const [view, setView] = useState<PickView>(IDLE);
  const abort = useRef<AbortController | undefined>(undefined);
  const start = (browsable: SourceBrowsable, ids: ReadonlySet<string>, to: string) => {
    abort.current = new AbortController();
    const v: PickView = { ...IDLE, phase: 'downloading', failures: [], to };
    setView({ ...v });
    let drawn = 0;
    browsable
      .download(ids, to, {
        signal: abort.current.signal,
        onEvent: (e) => {
          if (e.type === 'matched') [v.files, v.bytes] = [v.files + 1, v.bytes + e.item.size];
          else if (e.type === 'bytes') v.doneBytes += e.bytes;
          else if (e.type === 'picked') {
            v.done++;
            if (e.result === 'present') v.doneBytes += e.item.size;
          } else if (e.type === 'pick-failed') v.failures.push(`${e.failure.key}: ${e.failure.message}`);
          // Redrawn at most every 64 KiB of progress, and on every file.
          if (e.type !== 'bytes' || v.doneBytes - drawn > 65_536) {
            drawn = v.doneBytes;
            setView({ ...v, failures: [...v.failures] });
          }
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
