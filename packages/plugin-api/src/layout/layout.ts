import { UsageError } from '../errors/index.js';

/** The layout a destination reports in `describe()` when the user chose none. */
export const DEFAULT_LAYOUT = '{yyyy}/{mm}/{name}';

/** What a layout template can refer to; core renders them (see core's layout). */
export const LAYOUT_PLACEHOLDERS = [
  'yyyy',
  'mm',
  'dd',
  'name',
  'stem',
  'ext',
  'album',
  'source',
  'kind',
  // The source-relative folder (`Trip 2024/Day 1`, one or more segments; nothing at the source's root).
  'folder',
] as const;
export type LayoutPlaceholder = (typeof LAYOUT_PLACEHOLDERS)[number];

/**
 * Checks a template once, so a typo is reported when the destination is added, not mid-run. A destination with
 * a `layout` setting calls it when it reads its settings.
 */
export function validateLayout(template: string): void {
  const hint = `Use any of ${LAYOUT_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}, each closed with "}"; the default is ${DEFAULT_LAYOUT}`;
  // Braces must pair up, one level deep: `{name` or `{{name}}` would otherwise render as literal text.
  const broken = template.replace(/\{[^{}]*\}/g, '').match(/[{}]/);
  if (broken) {
    throw new UsageError(`Layout "${template}" has a "${broken[0]}" that does not belong to a placeholder`, { hint });
  }
  const used = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');
  const unknown = used.filter((p) => !(LAYOUT_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown placeholder {${unknown[0]}} in layout "${template}"`, { hint });
  }
  const segments = template.split('/').filter((segment) => segment !== '');
  const dots = segments.find((segment) => segment === '.' || segment === '..');
  if (dots) throw new UsageError(`Layout "${template}" has a "${dots}" folder`, { hint });
  // The file's own name must be in the last segment: anywhere else, files land with no name of their own.
  const last = segments.at(-1) ?? '';
  if (!last.includes('{name}') && !(last.includes('{stem}') && last.includes('{ext}'))) {
    throw new UsageError(`Layout "${template}" does not end with the file's name ({name})`, {
      hint: 'End the layout with {name} (or {stem}.{ext}), e.g. {yyyy}/{mm}/{name}',
    });
  }
}
