import type { Key } from 'ink';
import { completePath } from '../components/path-complete.js';
import { editText, type TextState, withCaret } from '../components/text-edit.js';
import { useSyncState } from './use-sync-state.js';

export interface TextField {
  value: string;
  /** The value as drawn: with its caret when focused, dots for a secret. */
  shown(focused?: boolean, mask?: boolean): string;
  /** Applies a key; true when it was a text-editing key (the screen then does nothing else with it). */
  handle(input: string, key: Key): boolean;
  /** The value now, including keys applied in this same tick. */
  now(): string;
  set(value: string): void;
}

/** One text field of a screen (see text-edit.ts): bursts of keys, caret movement, paste, tab for paths. */
export function useTextField(initial = '', options: { path?: boolean; mask?: boolean } = {}): TextField {
  const [state, setState, stateNow] = useSyncState<TextState>({ value: initial, caret: initial.length });
  return {
    value: state.value,
    shown: (focused = true, mask = options.mask) => withCaret(state, focused, mask),
    handle(input, key) {
      const next = editText(stateNow(), input, key, options.path ? completePath : undefined);
      if (!next) return false;
      setState(next);
      return true;
    },
    now: () => stateNow().value,
    set: (value) => void setState({ value, caret: value.length }),
  };
}
