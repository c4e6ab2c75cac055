import type { EventEmitter } from 'node:events';
import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';

/** One key as the passphrase screen needs it (Ink's own key parser is not public). */
export type RawKey =
  | { type: 'text'; text: string }
  | { type: 'enter' | 'backspace' | 'escape' | 'cancel' | 'clear' | 'up' | 'down' | 'other' };

/**
 * While `active`, every key goes to `handler` and to no other `useInput` of the app. The screens underneath stay
 * mounted (a sign-in half done keeps its state) but must not act on keys typed into the passphrase: Ink has no
 * focus trap for `useInput`, so this holds back its input event, which Ink's stdin context carries (`useStdin()`
 * exposes it at run time, not in its types). Ink has already split a chunk into single keys and runs of text.
 */
export function useExclusiveInput(active: boolean, handler: (key: RawKey) => void): void {
  const stdin = useStdin() as unknown as { internal_eventEmitter?: EventEmitter };
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const emitter = stdin.internal_eventEmitter;
    if (!active || !emitter) return;
    const take = (key: RawKey) => latest.current(key);
    return hold(emitter, take);
  }, [active, stdin]);
}

/** Per emitter: Ink's own emit and the handlers holding the keys (the last one gets them: a help over a prompt). */
const holders = new WeakMap<EventEmitter, { emit: EventEmitter['emit']; stack: ((key: RawKey) => void)[] }>();

function hold(emitter: EventEmitter, take: (key: RawKey) => void): () => void {
  let held = holders.get(emitter);
  if (!held) {
    const emit = emitter.emit;
    const stack: ((key: RawKey) => void)[] = [];
    held = { emit, stack };
    holders.set(emitter, held);
    emitter.emit = function (this: EventEmitter, event: string | symbol, ...args: unknown[]) {
      const top = stack.at(-1);
      if (event !== 'input' || !top) return emit.call(this, event, ...args);
      for (const key of rawKeys(String(args[0]))) top(key);
      return true;
    } as EventEmitter['emit'];
  }
  held.stack.push(take);
  return () => {
    const stack = holders.get(emitter)?.stack;
    const at = stack?.lastIndexOf(take) ?? -1;
    if (stack && at >= 0) stack.splice(at, 1);
  };
}

function* rawKeys(data: string): Generator<RawKey> {
  if (data.startsWith('\u001B')) {
    yield { type: data === '\u001B' ? 'escape' : data === '\u001B[A' ? 'up' : data === '\u001B[B' ? 'down' : 'other' };
    return;
  }
  let text = '';
  for (const ch of data) {
    const special: RawKey['type'] | undefined =
      ch === '\r' || ch === '\n'
        ? 'enter'
        : ch === '\u007F' || ch === '\b'
          ? 'backspace'
          : ch === '\u0003'
            ? 'cancel'
            : ch === '\u0015'
              ? 'clear'
              : ch < ' '
                ? 'other'
                : undefined;
    if (!special) {
      text += ch;
      continue;
    }
    if (text) yield { type: 'text', text };
    text = '';
    yield { type: special } as RawKey;
  }
  if (text) yield { type: 'text', text };
}
