import { UsageError } from '../errors/index.js';

/** The layout a destination reports in `describe()` when the user chose none. */
export const DEFAULT_LAYOUT = '{yyyy}/{mm}/{name}';

/** What a layout template can refer to; core renders them (see core's layout). */
export const LAYOUT_PLACEHOLDERS = ['yyyy', 'mm', 'dd', 'name', 'stem', 'ext', 'album', 'source', 'kind'] as const;
export type LayoutPlaceholder = (typeof LAYOUT_PLACEHOLDERS)[number];

/**
 * Checks a template once, so a typo is reported when the destination is added, not mid-run. A destination with
 * a `layout` setting calls it when it reads its settings.
 */
export function validateLayout(template: string): void {
  const used = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');
  const unknown = used.filter((p) => !(LAYOUT_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UsageError(`Unknown placeholder {${unknown[0]}} in layout "${template}"`, {
      hint: `Use any of ${LAYOUT_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}; the default is ${DEFAULT_LAYOUT}`,
    });
  }
  if (!used.includes('name') && !(used.includes('stem') && used.includes('ext'))) {
    throw new UsageError(`Layout "${template}" has no {name}`, { hint: 'End the layout with {name}' });
  }
}
