import type { Settings } from '@lifeboat/core';

export type FieldKind = 'text' | 'secret' | 'bool' | 'choice' | 'number' | 'list';

export interface FormField {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  choices?: string[];
  /** Shown while the field is empty: the plugin's default, which applies when it is left empty. */
  placeholder?: string;
  /** A local file or folder: tab completes it. */
  path?: boolean;
}

type PropertySchema = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: { type?: string };
};

/**
 * A settings form generated from a plugin's JSON schema (its manifest), so a third-party destination gets one
 * without UI code: strings, numbers, booleans, enums and string lists; secrets last and masked. Settings the
 * form cannot express (e.g. `anyOf`) keep their defaults. Required fields come first; "Advanced" ones last.
 */
export function fieldsFromSchema(schema: Record<string, unknown>, secrets: readonly string[] = []): FormField[] {
  const props = (schema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fields: FormField[] = [];
  for (const [key, p] of Object.entries(props)) {
    const kind: FieldKind | undefined = p.enum
      ? 'choice'
      : p.type === 'boolean'
        ? 'bool'
        : p.type === 'integer' || p.type === 'number'
          ? 'number'
          : p.type === 'array' && p.items?.type === 'string'
            ? 'list'
            : p.type === 'string'
              ? 'text'
              : undefined;
    if (!kind) continue;
    const field: FormField = { key, label: labelOf(key), kind, required: required.has(key) };
    if (p.description) field.description = p.description;
    if (kind === 'text' && /(^|[a-z])(path|dir|folder)$/i.test(key)) field.path = true;
    if (p.enum) field.choices = [...(required.has(key) ? [] : ['']), ...p.enum.map(String)];
    if (p.default !== undefined && p.default !== '') {
      field.placeholder = Array.isArray(p.default) ? p.default.join(',') : String(p.default);
    }
    fields.push(field);
  }
  const rank = (f: FormField) => (f.required ? 0 : f.description?.startsWith('Advanced') ? 2 : 1);
  fields.sort((a, b) => rank(a) - rank(b));
  for (const key of secrets) fields.push({ key, label: labelOf(key), kind: 'secret', required: true });
  return fields;
}

/** "forcePathStyle" -> "Force path style". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(id|url|kms|sms)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form's text values as settings (empty = the plugin's default) and secrets, for the plugin to validate. */
export function formValues(
  fields: readonly FormField[],
  values: Readonly<Record<string, string>>,
): { settings: Settings; secrets: Record<string, string> } {
  const settings: Settings = {};
  const secrets: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.key] ?? '';
    if (f.kind === 'secret') {
      secrets[f.key] = raw;
      continue;
    }
    const v = raw.trim();
    if (v === '') continue;
    if (f.kind === 'bool') settings[f.key] = v === 'true';
    else if (f.kind === 'number') settings[f.key] = Number.isFinite(Number(v)) ? Number(v) : v;
    else if (f.kind === 'list')
      settings[f.key] = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else settings[f.key] = v;
  }
  return { settings, secrets };
}
