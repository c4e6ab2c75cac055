import type { Key } from 'ink';

/** A text field's value and where its caret is (0 = before the first character). */
export interface TextState {
  value: string;
  caret: number;
}

export const TEXT_KEYS = '←→ home/end move · ctrl-u/ctrl-w delete · tab completes paths';

/**
 * One key applied to a text field, or undefined when the key is not a text-editing key (the screen handles it).
 * Ink hands over one key per call even when several arrive in one chunk (over SSH they do); the caller keeps the
 * state in a ref so each key starts from the result of the one before, not from the last render.
 * Written here rather than taken from @inkjs/ui: see form.tsx for why its TextInput does not fit.
 */
export function editText(
  s: TextState,
  input: string,
  key: Key,
  complete?: (value: string) => string | undefined,
): TextState | undefined {
  const { value } = s;
  const caret = Math.min(s.caret, value.length);
  if (key.leftArrow) return { value, caret: Math.max(0, caret - 1) };
  if (key.rightArrow) return { value, caret: Math.min(value.length, caret + 1) };
  if (key.home || (key.ctrl && input === 'a')) return { value, caret: 0 };
  if (key.end || (key.ctrl && input === 'e')) return { value, caret: value.length };
  if (key.backspace) {
    if (caret === 0) return { value, caret };
    return { value: value.slice(0, caret - 1) + value.slice(caret), caret: caret - 1 };
  }
  if (key.delete) return { value: value.slice(0, caret) + value.slice(caret + 1), caret };
  if (key.ctrl && input === 'u') return { value: value.slice(caret), caret: 0 };
  if (key.ctrl && input === 'k') return { value: value.slice(0, caret), caret };
  if (key.ctrl && input === 'w') {
    const start = value.slice(0, caret).replace(/[^\s/]*[\s/]*$/, '').length;
    return { value: value.slice(0, start) + value.slice(caret), caret: start };
  }
  if (key.tab && !key.shift && complete) {
    if (caret !== value.length) return { value, caret };
    const done = complete(value);
    return done === undefined ? { value, caret } : { value: done, caret: done.length };
  }
  if (!input || key.ctrl || key.meta || key.escape || key.return || key.tab) return undefined;
  if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  // A paste arrives whole: line breaks and tabs in it are not part of a one-line value.
  const text = [...input.replace(/[\r\n\t]+/g, ' ')].filter((ch) => ch >= ' ' && ch !== '\u007F').join('');
  if (text === '') return undefined;
  return { value: value.slice(0, caret) + text + value.slice(caret), caret: caret + text.length };
}

/** The value with a caret drawn at its place (`▏`), or masked with dots for secrets. */
export function withCaret(s: TextState, focused: boolean, mask = false): string {
  const shown = mask ? '•'.repeat(s.value.length) : s.value;
  if (!focused) return shown;
  const caret = Math.min(s.caret, shown.length);
  return `${shown.slice(0, caret)}▏${shown.slice(caret)}`;
}
