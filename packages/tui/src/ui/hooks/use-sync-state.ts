import { useCallback, useRef, useState } from 'react';

/**
 * State whose latest value is readable at once, before React renders again. Keys that arrive in one chunk (a paste,
 * a burst over SSH, `Down Down`) are handed to the screen one after another in the same tick: each must start from
 * the result of the one before, which `useState`'s value in the handler's closure is not.
 */
export function useSyncState<T>(initial: T | (() => T)): [T, (next: T | ((prev: T) => T)) => T, () => T] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
    return ref.current;
  }, []);
  const get = useCallback(() => ref.current, []);
  return [value, set, get];
}
