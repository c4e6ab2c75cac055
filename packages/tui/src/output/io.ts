import { describeError, LifeboatError } from '@lifeboat/core';

/** Where a command writes: JSON documents and results on stdout, messages and progress on stderr. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  json: (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Usage and config mistakes exit 2; everything else that failed exits 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof LifeboatError && ['LIFEBOAT_USAGE', 'LIFEBOAT_CONFIG'].includes(error.code)) return 2;
  return 1;
}

export function printError(io: Io, error: unknown, json: boolean): void {
  const code = error instanceof LifeboatError ? error.code : 'LIFEBOAT_ERROR';
  const message = error instanceof LifeboatError ? error.message : describeError(error);
  const hint = error instanceof LifeboatError ? error.hint : undefined;
  io.err(`lifeboat: ${message}`);
  if (hint) io.err(`  what to do: ${hint}`);
  io.err(`  [${code}]`);
  if (json) io.json({ ok: false, error: { code, message, ...(hint ? { hint } : {}) } });
}
