/** The keys a one-line text field reacts to (Ink's key flags). */
interface EditKey {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

/** A one-line field after one key: backspace deletes, ctrl-u clears, printable input is appended. */
export function editLine(value: string, input: string, key: EditKey): string {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl) return input === 'u' ? '' : value;
  return value + input;
}
