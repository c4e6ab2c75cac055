import { describeError, LifeboatError } from '@lifeboat/core';

/** One problem as the full error view shows it: what happened, what to do, and the facts around it. */
export interface Problem {
  problem: string;
  hint?: string;
  /** "code: LIFEBOAT_…", "file: IMG_0001.JPG", "destination: drive-b"... */
  details: string[];
}

/** A thrown error as a problem: core's errors carry a code and a hint. */
export function problemOf(error: unknown): Problem {
  if (error instanceof LifeboatError) {
    return { problem: error.message, ...(error.hint ? { hint: error.hint } : {}), details: [`code: ${error.code}`] };
  }
  return { problem: describeError(error), details: [] };
}

/** A failure recorded in a run summary (or the run history) as a problem. */
export function problemOfFailure(f: {
  code: string;
  message: string;
  hint?: string | undefined;
  fileName?: string | undefined;
  destination?: string | undefined;
  source?: string | undefined;
}): Problem {
  const details = [
    `code: ${f.code}`,
    ...(f.fileName ? [`file: ${f.fileName}`] : []),
    ...(f.source ? [`source: ${f.source}`] : []),
    ...(f.destination ? [`destination: ${f.destination}`] : []),
  ];
  return { problem: f.message, ...(f.hint ? { hint: f.hint } : {}), details };
}
