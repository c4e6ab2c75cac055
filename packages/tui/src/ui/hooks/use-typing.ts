import { useEffect } from 'react';

/** The text fields that have the keys now (one at a time in practice). */
const typing = new Set<symbol>();

/** Marks a text field as having the keys while `focused`: `?` is then typed, not a request for help. */
export function useTyping(focused: boolean): void {
  useEffect(() => {
    if (!focused) return;
    const id = Symbol('text field');
    typing.add(id);
    return () => {
      typing.delete(id);
    };
  }, [focused]);
}

export const isTyping = () => typing.size > 0;
