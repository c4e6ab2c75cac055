import { expect } from 'vitest';
import type { CliResult } from '../cli.js';

/** A user error: non-zero exit and a message on stderr that names each of `mentions`, not a crash dump. */
export function expectCleanFailure(result: CliResult, ...mentions: Array<string | RegExp>): void {
  expect(result.code, result.describe()).not.toBe(0);
  expect(result.code, result.describe()).not.toBeNull();
  expect(result.stderr.trim(), result.describe()).not.toBe('');
  expect(result.stderr, `a stack trace instead of a message:\n${result.describe()}`).not.toMatch(
    /^\s+at .+:\d+:\d+\)?$/m,
  );
  for (const mention of mentions) expect(result.stderr, result.describe()).toMatch(mention);
}
