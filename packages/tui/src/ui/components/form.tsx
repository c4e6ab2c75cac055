import { Box, Text, useInput } from 'ink';
import { type ReactNode, useState } from 'react';
import { accent } from '../theme.js';
import type { FormField } from './schema-fields.js';

export const FORM_KEYS = [
  { key: '↑↓', does: 'field' },
  { key: 'space', does: 'toggle/choose' },
  { key: 'enter', does: 'next / save' },
  { key: 'esc', does: 'back' },
];

/**
 * A keyboard form: ↑/↓ (or tab) moves between fields, typing edits the focused text field, space or ←/→
 * changes a choice or a yes/no, enter goes to the next field and on the last row saves. Secrets show as dots.
 *
 * Text fields here and in the screens are edited by hand rather than with @inkjs/ui's TextInput (removed, unused
 * until then). Its 2.0 TextInput does move the cursor, take a paste whole and keep bunched keys (a reducer), but
 * it is uncontrolled (a default value only: the form cannot clear a field with ctrl-U, or put a value back),
 * it types every key it does not know as text (ctrl-U adds a "u"), and its password field masks with "*"
 * and has no placeholder for a plugin's default. Cursor movement and bunched keys (issue 15) belong in one
 * controlled text field of our own.
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
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [cursor, setCursor] = useState(0);
  const rows = fields.length + 1;
  const field = fields[cursor];
  const update = (key: string, value: string) => {
    const next = { ...values, [key]: value };
    setValues(next);
    onChange?.(next);
  };
  useInput(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.upArrow || (key.tab && key.shift)) return setCursor((c) => Math.max(0, c - 1));
      if (key.downArrow || key.tab) return setCursor((c) => Math.min(rows - 1, c + 1));
      if (key.return) {
        if (cursor === rows - 1) return onSubmit(values);
        return setCursor(cursor + 1);
      }
      if (!field) return;
      const current = values[field.key] ?? '';
      if (field.kind === 'bool' && (input === ' ' || key.leftArrow || key.rightArrow)) {
        const now = current === '' ? field.placeholder === 'true' : current === 'true';
        return update(field.key, String(!now));
      }
      if (field.kind === 'choice' && field.choices && (input === ' ' || key.leftArrow || key.rightArrow)) {
        const at = field.choices.indexOf(current === '' && !field.choices.includes('') ? field.choices[0]! : current);
        const step = key.leftArrow ? -1 : 1;
        return update(field.key, field.choices[(at + step + field.choices.length) % field.choices.length]!);
      }
      if (field.kind === 'bool' || field.kind === 'choice') return;
      if (key.backspace || key.delete) return update(field.key, current.slice(0, -1));
      if (key.ctrl && input === 'u') return update(field.key, '');
      if (input && !key.ctrl && !key.meta) update(field.key, current + input.replace(/[\r\n]/g, ''));
    },
    { isActive: active },
  );
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
            {show(f, values[f.key] ?? '', focused)}
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

function show(f: FormField, value: string, focused: boolean): string {
  const caret = focused ? '▏' : '';
  if (f.kind === 'secret') return `${'•'.repeat(value.length)}${caret}`;
  if (f.kind === 'bool') {
    const on = value === '' ? f.placeholder === 'true' : value === 'true';
    return `[${on ? 'x' : ' '}] ${on ? 'yes' : 'no'}`;
  }
  if (f.kind === 'choice') return `‹ ${value || f.placeholder || '(default)'} ›`;
  if (value === '' && f.placeholder) return `${caret}(${f.placeholder})`;
  return `${value}${caret}`;
}
