import { type Key, useInput } from 'ink';

/**
 * `useInput`, one key at a time. Ink already splits a chunk of stdin at escape sequences (arrows) and backspaces,
 * but keeps a run of text whole, with any enter, tab or spaces inside it (it cannot tell a paste from typing).
 * Typed fast, or over SSH, "y⏎" or "  " arrive as one such run: here they become the keys they were, so a form
 * sees the enter and a choice field both spaces.
 */
export function useKeys(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}): void {
  useInput((input, key) => {
    for (const [i, k] of splitKeys(input, key)) handler(i, k);
  }, options);
}

export function splitKeys(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  if (/^ +$/.test(input)) return [...input].map((ch) => [ch, key]);
  if (!/[\r\t]/.test(input)) return [[input, key]];
  const plain: Key = { ...key, return: false, tab: false };
  return input
    .split(/([\r\t])/)
    .filter((part) => part !== '')
    .map((part): [string, Key] =>
      part === '\r' ? ['', { ...plain, return: true }] : part === '\t' ? ['', { ...plain, tab: true }] : [part, plain],
    );
}
