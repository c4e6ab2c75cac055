import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTyping } from '../hooks/use-typing.js';
import { accent } from '../theme.js';
import { completePath } from './path-complete.js';
import type { FormField } from './schema-fields.js';
import { editText, type TextState, withCaret } from './text-edit.js';

export const FORM_KEYS = [
  { key: '↑↓', does: 'field' },
  { key: 'space/←→', does: 'choose' },
  { key: 'enter', does: 'next / save' },
  { key: 'esc', does: 'back' },
];

/**
 * A keyboard form: ↑/↓ (or tab) moves between fields, typing edits the focused text field (←/→, home/end, ctrl-a/e,
 * ctrl-u/w, tab completes a path field), space or ←/→ changes a choice or a yes/no, enter goes to the next field
 * and on the last row saves. Secrets show as dots.
 *
 * Text fields here and in the screens are edited by hand rather than with @inkjs/ui's TextInput (removed, unused
 * until then). Its 2.0 TextInput does move the cursor, take a paste whole and keep bunched keys (a reducer), but
 * it is uncontrolled (a default value only: the form cannot clear a field with ctrl-U, or put a value back),
 * it types every key it does not know as text (ctrl-U adds a "u"), and its password field masks with "*"
 * and has no placeholder for a plugin's default. The editing lives in text-edit.ts, shared by every field.
 */
export function Form({
  fields,
  initial = {},
  onSubmit,
  onCancel,
  onChange,
  active = true,
  submitLabel = 'Save',
  height = 12,
  children,
}: {
  fields: FormField[];
  initial?: Record<string, string>;
  onSubmit: (values: Record<string, string>) => void;
  onCancel: () => void;
  onChange?: (values: Record<string, string>) => void;
  active?: boolean;
  submitLabel?: string;
  height?: number;
  children?: ReactNode;
}) {
  const [values, setValues, valuesNow] = useSyncState<Record<string, string>>(initial);
  const [cursor, setCursor, cursorNow] = useSyncState(0);
  // Where the caret is in each text field (at the end until moved).
  const [carets, setCarets, caretsNow] = useSyncState<Record<string, number>>({});
  const rows = fields.length + 1;
  const kind = fields[cursor]?.kind;
  useTyping(active && kind !== undefined && kind !== 'bool' && kind !== 'choice');
  const update = (key: string, value: string, caret = value.length) => {
    const next = setValues((v) => ({ ...v, [key]: value }));
    setCarets((c) => ({ ...c, [key]: caret }));
    onChange?.(next);
  };
  useKeys(
    (input, key) => {
      const at = cursorNow();
      const field = fields[at];
      const current = field ? (valuesNow()[field.key] ?? '') : '';
      if (key.escape) return onCancel();
      if (key.upArrow || (key.tab && key.shift)) return void setCursor((c) => Math.max(0, c - 1));
      // Tab in a path field completes it, as in a shell (↓ or enter leave it).
      if (key.tab && !key.shift && field?.path) {
        const done = editText({ value: current, caret: current.length }, input, key, completePath);
        if (done && done.value !== current) update(field.key, done.value, done.caret);
        return;
      }
      if (key.downArrow || key.tab) return void setCursor((c) => Math.min(rows - 1, c + 1));
      if (key.return) {
        if (at === rows - 1) return onSubmit(valuesNow());
        return void setCursor(at + 1);
      }
      if (!field) return;
      if (field.kind === 'bool' && (input === ' ' || key.leftArrow || key.rightArrow)) {
        const now = current === '' ? field.placeholder === 'true' : current === 'true';
        return update(field.key, String(!now));
      }
      if (field.kind === 'choice' && field.choices && (input === ' ' || key.leftArrow || key.rightArrow)) {
        const from = field.choices.indexOf(current === '' && !field.choices.includes('') ? field.choices[0]! : current);
        const step = key.leftArrow ? -1 : 1;
        return update(field.key, field.choices[(from + step + field.choices.length) % field.choices.length]!);
      }
      if (field.kind === 'bool' || field.kind === 'choice') return;
      const edited = editText({ value: current, caret: caretsNow()[field.key] ?? current.length }, input, key);
      if (edited) update(field.key, edited.value, edited.caret);
    },
    { isActive: active },
  );
  const field = fields[cursor];
  const labelWidth = Math.min(24, Math.max(...fields.map((f) => f.label.length + (f.required ? 2 : 0))) + 1);
  const windowStart = Math.min(Math.max(0, cursor - Math.floor(height / 2)), Math.max(0, rows - height));
  return (
    <Box flexDirection="column">
      {fields.slice(windowStart, windowStart + height).map((f, i) => {
        const focused = windowStart + i === cursor;
        return (
          <Text key={f.key} wrap="truncate-end">
            <Text color={focused ? accent() : undefined}>{focused ? '> ' : '  '}</Text>
            <Text bold={focused}>{`${f.label}${f.required ? ' *' : ''}`.padEnd(labelWidth)}</Text>
            {show(f, { value: values[f.key] ?? '', caret: carets[f.key] ?? (values[f.key] ?? '').length }, focused)}
          </Text>
        );
      })}
      {windowStart + height >= rows ? (
        <Text bold={cursor === rows - 1} color={cursor === rows - 1 ? accent() : undefined}>
          {cursor === rows - 1 ? '> ' : '  '}[ {submitLabel} ]
        </Text>
      ) : (
        <Text> …more below</Text>
      )}
      {field?.description ? (
        <Text wrap="truncate-end" dimColor>
          {'  '}
          {field.description}
        </Text>
      ) : null}
      {children}
    </Box>
  );
}

function show(f: FormField, text: TextState, focused: boolean): string {
  const value = text.value;
  if (f.kind === 'secret') return withCaret(text, focused, true);
  if (f.kind === 'bool') {
    const on = value === '' ? f.placeholder === 'true' : value === 'true';
    return `[${on ? 'x' : ' '}] ${on ? 'yes' : 'no'}`;
  }
  if (f.kind === 'choice') return `‹ ${value || f.placeholder || '(default)'} ›`;
  if (value === '' && f.placeholder) return `${focused ? '▏' : ''}(${f.placeholder})`;
  return withCaret(text, focused);
}
