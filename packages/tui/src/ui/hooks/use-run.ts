import { describeError, LifeboatError, type Progress, type RunEvent, type RunSummary } from '@lifeboat/core';
import { useEffect, useRef, useState } from 'react';
import type { PlanRunner } from '../../app/plan-run.js';

export interface RunView {
  phase: 'starting' | 'listing' | 'copying' | 'stopping' | 'done' | 'failed';
  listed: number;
  planned?: { files: number; bytes: number };
  progress?: Progress;
  destinations: Record<string, { files: number; bytes: number; failed?: string }>;
  retries: number;
  lastRetry?: string;
  errors: string[];
  summary?: RunSummary;
  error?: { message: string; hint?: string };
  startedAt: number;
}

/**
 * Runs a plan and folds its events into a view, redrawn at most 10 times a second (events can come thousands
 * of times a second; the screen must not flicker nor the keyboard wait). `stop()` aborts cleanly.
 */
export function useRun(runner: PlanRunner, plan: string): { view: RunView; stop: () => void } {
  const abort = useRef(new AbortController());
  const live = useRef<RunView>({
    phase: 'starting',
    listed: 0,
    destinations: {},
    retries: 0,
    errors: [],
    startedAt: Date.now(),
  });
  const [view, setView] = useState<RunView>(live.current);
  useEffect(() => {
    const v = live.current;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'listing' || e.type === 'listed') [v.phase, v.listed] = ['listing', e.assets];
      else if (e.type === 'planned') [v.phase, v.planned] = ['copying', { files: e.files, bytes: e.bytes }];
      else if (e.type === 'progress') v.progress = e;
      else if (e.type === 'copied') {
        const d = v.destinations[e.destination] ?? { files: 0, bytes: 0 };
        v.destinations[e.destination] = { files: d.files + 1, bytes: d.bytes + e.bytes };
      } else if (e.type === 'destination-failed') {
        v.destinations[e.destination] = { files: 0, bytes: 0, ...v.destinations[e.destination], failed: e.message };
      } else if (e.type === 'retry') {
        v.retries++;
        v.lastRetry = `${e.fileName}: ${e.message}`;
      } else if (e.type === 'copy-failed') {
        v.errors.push([e.failure.fileName, e.failure.destination, e.failure.message].filter(Boolean).join(' · '));
      }
    };
    const timer = setInterval(() => setView({ ...v, destinations: { ...v.destinations }, errors: [...v.errors] }), 100);
    runner
      .run(plan, { signal: abort.current.signal, onEvent })
      .then((summary) => {
        v.summary = summary;
        for (const d of summary.destinations) {
          v.destinations[d.name] = {
            files: d.filesCopied,
            bytes: d.bytesCopied,
            ...(d.error ? { failed: d.error.message } : {}),
          };
        }
        // Every failure of the run counts, not only the copies that failed while watched (a listing or sign-in
        // failure has no file): the counter and the problem lines agree with the summary.
        const all = [
          ...summary.destinations.flatMap((d) => (d.error ? [`${d.name} · ${d.error.message}`] : [])),
          ...summary.failures.map((f) => [f.fileName, f.destination, f.message].filter(Boolean).join(' · ')),
        ];
        if (all.length > v.errors.length) v.errors = all;
        v.phase = 'done';
      })
      .catch((error: unknown) => {
        v.phase = 'failed';
        v.error = {
          message: describeError(error),
          ...(error instanceof LifeboatError && error.hint ? { hint: error.hint } : {}),
        };
      })
      .finally(() => {
        clearInterval(timer);
        setView({ ...v, destinations: { ...v.destinations }, errors: [...v.errors] });
      });
    return () => {
      clearInterval(timer);
      abort.current.abort(new Error('the screen was closed'));
    };
  }, [runner, plan]);
  const stop = () => {
    live.current.phase = 'stopping';
    setView({ ...live.current });
    abort.current.abort(new Error('stopped by the user'));
  };
  return { view, stop };
}
