import type { RuleEvaluation } from '../planner/index.js';

/** Per-destination outcome of a run. */
export interface DestinationSummary {
  name: string;
  filesCopied: number;
  bytesCopied: number;
  /** Why the destination was skipped or failed, when it was. */
  error?: { code: string; message: string; hint?: string };
}

export interface RunFailure {
  code: string;
  message: string;
  /** What the user can do about it, when the error says. */
  hint?: string;
  source?: string;
  destination?: string;
  assetId?: string;
  fileName?: string;
}

export interface RunSummary {
  ok: boolean;
  runId: number;
  plan: string;
  aborted: boolean;
  /** Files read from the sources and copied to at least one destination. */
  filesCopied: number;
  bytesCopied: number;
  destinations: DestinationSummary[];
  failures: RunFailure[];
  /** Assets missing from a source for the first time in this run (their copies are kept). */
  goneFromSource: number;
  /** All assets currently missing from the plan's sources. */
  goneFromSourceTotal: number;
  listed: number;
  durationMs: number;
  evaluation: RuleEvaluation;
  /** How many files at once each source and destination got: throttles push a limit down, throughput up. */
  concurrency?: ConcurrencyReport;
}

/** Per server: the adaptive limit at the start, its lowest and highest, at the end, and its upper bound. */
export interface ConcurrencyReport {
  sources: Record<string, LimitReport>;
  destinations: Record<string, LimitReport>;
}

export interface LimitReport {
  initial: number;
  lowest: number;
  highest: number;
  final: number;
  max: number;
}

export interface Progress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  currentFile: string | undefined;
  /** Set while copying runs beside the listing: assets listed so far; `done` once the totals are final. */
  listing?: { assets: number; done: boolean };
  /** How many files each source and destination may have in flight right now (their adaptive limits). */
  concurrency?: { sources: Record<string, number>; destinations: Record<string, number> };
}

/** What a run reports as it goes: the CLI draws a progress bar from these, the TUI its screens. */
export type RunEvent =
  | { type: 'run-started'; runId: number; plan: string }
  | { type: 'destination-failed'; destination: string; code: string; message: string }
  | { type: 'listing'; source: string; assets: number }
  | { type: 'listed'; source: string; assets: number; newlyGone: number }
  | { type: 'planned'; files: number; bytes: number; evaluation: RuleEvaluation }
  | { type: 'copied'; destination: string; key: string; bytes: number }
  | { type: 'retry'; fileName: string; attempt: number; delayMs: number; message: string }
  | { type: 'copy-failed'; failure: RunFailure }
  | ({ type: 'progress' } & Progress)
  | { type: 'run-finished'; summary: RunSummary };
