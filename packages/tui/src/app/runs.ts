import { type Catalog, type RunRecord, type RunSummary, UsageError } from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { type Lazy, TOKENS } from './tokens.js';

export type RunState = 'ok' | 'failed' | 'stopped' | 'running or killed';

/** One run in the history: its counts, from the summary the catalog keeps. */
export interface RunListItem {
  id: number;
  plan: string;
  startedAt: string;
  finishedAt?: string;
  state: RunState;
  filesCopied: number;
  bytesCopied: number;
  /** Files listed in the sources that run. */
  listed?: number;
  failures: number;
}

export interface RunDestinationDetail {
  name: string;
  filesCopied: number;
  bytesCopied: number;
  error?: { code: string; message: string; hint?: string };
  /** The copies the catalog recorded on this destination during the run (per file). */
  copied: { key: string; size: number; copiedAt: string }[];
  /** Files of the sources it already held (or that failed): listed minus copied minus failed. */
  skipped?: number;
}

export interface RunDetail extends RunListItem {
  destinations: RunDestinationDetail[];
  failed: { fileName?: string; destination?: string; code: string; message: string; hint?: string }[];
}

const summaryOf = (r: RunRecord) => r.summary as Partial<RunSummary> | undefined;

function state(r: RunRecord): RunState {
  if (r.finishedAt === undefined) return 'running or killed';
  if (summaryOf(r)?.aborted) return 'stopped';
  return r.ok ? 'ok' : 'failed';
}

function item(r: RunRecord): RunListItem {
  const s = summaryOf(r);
  return {
    id: r.runId,
    plan: r.plan,
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    state: state(r),
    filesCopied: r.filesCopied,
    bytesCopied: r.bytesCopied,
    ...(s?.listed !== undefined ? { listed: s.listed } : {}),
    failures: s?.failures?.length ?? 0,
  };
}

/** The run history: what each run copied, skipped and failed. */
@injectable()
export class RunsService {
  constructor(@inject(TOKENS.catalog) private readonly catalog: Lazy<Catalog>) {}

  list(plan?: string, limit = 50): RunListItem[] {
    return this.catalog().lastRuns(plan, limit).map(item);
  }

  show(id: number): RunDetail {
    const catalog = this.catalog();
    const r = catalog.run(id);
    if (!r) throw new UsageError(`No run with id ${id}`, { hint: 'See `lifeboat runs` for the ids' });
    const s = summaryOf(r);
    const failed = s?.failures ?? [];
    const until = r.finishedAt ?? new Date().toISOString();
    const destinations = (s?.destinations ?? []).map((d): RunDestinationDetail => {
      const failedHere = failed.filter((f) => f.destination === d.name && f.fileName).length;
      return {
        name: d.name,
        filesCopied: d.filesCopied,
        bytesCopied: d.bytesCopied,
        ...(d.error ? { error: d.error } : {}),
        copied: catalog.copiesMadeBetween(d.name, r.startedAt, until),
        ...(s?.listed !== undefined && !d.error ? { skipped: Math.max(0, s.listed - d.filesCopied - failedHere) } : {}),
      };
    });
    return {
      ...item(r),
      destinations,
      failed: failed.map((f) => ({
        ...(f.fileName ? { fileName: f.fileName } : {}),
        ...(f.destination ? { destination: f.destination } : {}),
        code: f.code,
        message: f.message,
        ...(f.hint ? { hint: f.hint } : {}),
      })),
    };
  }
}
