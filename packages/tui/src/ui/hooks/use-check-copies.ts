import type { VerifyEvent } from '@lifeboat/core';
import { useRef, useState } from 'react';
import type { RepairOutcome } from '../../app/repair.js';
import type { AppServices } from '../../app/services.js';
import type { VerifyResult } from '../../app/verify.js';
import { type Problem, problemOf } from '../components/problem.js';

export type CheckKind = 'sample' | 'all' | 'repair';

export interface CheckView {
  phase: 'idle' | 'running' | 'done';
  kind?: CheckKind;
  /** Per destination: copies to read and read so far. */
  destinations: Record<string, { toRead: number; checked: number }>;
  repaired: number;
  problems: Problem[];
  /** One line of outcome per destination once done. */
  outcome: string[];
  ok?: boolean;
}

const IDLE: CheckView = { phase: 'idle', destinations: {}, repaired: 0, problems: [], outcome: [] };

/** Verifies (a sample or everything) or repairs the destinations of a plan, folding the events into a view. */
export function useCheckCopies(app: AppServices, target: string) {
  const [view, setView] = useState<CheckView>(IDLE);
  const abort = useRef<AbortController | undefined>(undefined);
  const start = (kind: CheckKind) => {
    abort.current = new AbortController();
    const signal = abort.current.signal;
    const v: CheckView = { ...IDLE, phase: 'running', kind, destinations: {}, problems: [], outcome: [] };
    const show = () => setView({ ...v, destinations: { ...v.destinations }, problems: [...v.problems] });
    const onEvent = (name: string, e: VerifyEvent) => {
      if (e.type === 'verify-started') v.destinations[name] = { toRead: e.toRead, checked: 0 };
      else if (e.type === 'verify-progress')
        v.destinations[name] = { toRead: 0, ...v.destinations[name], checked: e.checked };
      else if (e.type === 'problem')
        v.problems.push({
          problem: e.problem.message,
          details: [`destination: ${name}`, `copy: ${e.problem.key}`, `kind: ${e.problem.kind}`],
        });
      else if (e.type === 'repaired') v.repaired++;
      else if (e.type === 'repair-failed')
        v.problems.push({
          problem: `Repair failed: ${e.failure.message}`,
          details: [`destination: ${name}`, `copy: ${e.failure.key}`, `code: ${e.failure.code}`],
        });
      show();
    };
    show();
    const work =
      kind === 'repair'
        ? app.repair.repair(target, { signal, onEvent: (e) => onEvent(e.destination, e) }).then(repairLines)
        : app.verify
            .verify(
              app.verify.targets(target).names,
              kind === 'all' ? { all: true } : { samplePercent: 5 },
              signal,
              onEvent,
            )
            .then(verifyLines);
    work
      .then(({ ok, lines, problems }) => {
        v.ok = ok;
        v.outcome = lines;
        v.problems.push(...problems);
      })
      .catch((error: unknown) => {
        v.ok = false;
        v.problems.push(problemOf(error));
      })
      .finally(() => {
        v.phase = 'done';
        show();
      });
  };
  return { view, start, stop: () => abort.current?.abort(new Error('stopped by the user')) };
}

function verifyLines(results: VerifyResult[]): { ok: boolean; lines: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines = results.map((r) => {
    if ('error' in r) {
      problems.push({
        problem: r.error.message,
        ...(r.error.hint ? { hint: r.error.hint } : {}),
        details: [`destination: ${r.destination}`, `code: ${r.error.code}`],
      });
      return `${r.destination}: could not be checked`;
    }
    return `${r.destination}: ${r.checked} of ${r.copies} copies read back, ${r.healthy} healthy, ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`;
  });
  return { ok: results.every((r) => r.ok), lines, problems };
}

function repairLines(outcome: RepairOutcome): { ok: boolean; lines: string[]; problems: Problem[] } {
  const problems: Problem[] = outcome.unavailable.map((u) => ({
    problem: u.error.message,
    ...(u.error.hint ? { hint: u.error.hint } : {}),
    details: [`destination: ${u.destination}`, `code: ${u.error.code}`],
  }));
  const lines = outcome.report.destinations.map((d) => {
    if (d.error)
      problems.push({
        problem: d.error.message,
        ...(d.error.hint ? { hint: d.error.hint } : {}),
        details: [`destination: ${d.destination}`, `code: ${d.error.code}`],
      });
    return `${d.destination}: ${d.repaired.length} repaired, ${d.failures.length} could not be, ${d.reindexed} re-indexed`;
  });
  return {
    ok: outcome.ok,
    lines: [...lines, ...outcome.unavailable.map((u) => `${u.destination}: could not be opened`)],
    problems,
  };
}
