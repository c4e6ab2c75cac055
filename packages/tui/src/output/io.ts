import { catalogDamaged, describeError, isCatalogDamage, LifeboatError } from '@lifeboat/core';
import { resolveStatePaths } from '../state/paths.js';

/** Where a command writes: JSON documents and results on stdout, messages and progress on stderr. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
  isTTY: boolean;
}

/**
 * Control characters other than newline and tab (ESC starts a terminal escape sequence: a file name could clear
 * the screen, retitle the window or hide text), and the marks that reorder text on screen, shown as visible
 * escapes. Names come from sources and drives nobody checked; what Lifeboat prints never needs them raw.
 */
export function showControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export const processIo: Io = {
  out: (t) => process.stdout.write(`${showControls(t)}\n`),
  err: (t) => process.stderr.write(`${showControls(t)}\n`),
  json: (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Usage and config mistakes exit 2; everything else that failed exits 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof LifeboatError && ['LIFEBOAT_USAGE', 'LIFEBOAT_CONFIG'].includes(error.code)) return 2;
  return 1;
}

export function printError(io: Io, thrown: unknown, json: boolean): void {
  // A page of the catalog went bad mid-command: say so and what fixes it, rather than SQLite's raw words.
  const error =
    isCatalogDamage(thrown) && !(thrown instanceof LifeboatError && thrown.code === 'LIFEBOAT_CATALOG')
      ? catalogDamaged(resolveStatePaths().catalogFile, thrown)
      : thrown;
  const code = error instanceof LifeboatError ? error.code : 'LIFEBOAT_ERROR';
  const message = error instanceof LifeboatError ? error.message : describeError(error);
  const hint = error instanceof LifeboatError ? error.hint : undefined;
  io.err(`lifeboat: ${message}`);
  if (hint) io.err(`  what to do: ${hint}`);
  io.err(`  [${code}]`);
  if (json) io.json({ ok: false, error: { code, message, ...(hint ? { hint } : {}) } });
}
