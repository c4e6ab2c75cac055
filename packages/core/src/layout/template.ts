import { UsageError } from '../errors/index.js';
import { sanitizeSegment, splitExtension } from './sanitize.js';

export const DEFAULT_LAYOUT = '{yyyy}/{mm}/{name}';

/** What a layout template can refer to. */
export interface LayoutInput {
  fileName: string;
  capturedAt?: string;
  albums?: string[];
  source: string;
  kind: string;
}

const PLACEHOLDERS = ['yyyy', 'mm', 'dd', 'name', 'stem', 'ext', 'album', 'source', 'kind'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** Checks a template once, so a typo is reported when the destination is added, not mid-run. */
export function validateLayout(template: string): void {
  const hint = `Use any of ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}, each closed with "}"; the default is ${DEFAULT_LAYOUT}`;
  // Braces must pair up, one level deep: `{name` or `{{name}}` would otherwise render as literal text.
  const broken = template.replace(/\{[^{}]*\}/g, '').match(/[{}]/);
  if (broken) {
    throw new UsageError(`Layout "${template}" has a "${broken[0]}" that does not belong to a placeholder`, { hint });
  }
  const used = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');
  const unknown = used.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
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

/**
 * The wall-clock date of a capture: the date part as written, not converted to UTC, so a photo taken at
 * 23:30 in Tokyo files under the day it was taken there.
 */
export function wallClockDate(capturedAt: string | undefined): { yyyy: string; mm: string; dd: string } | undefined {
  const m = capturedAt?.match(/^(\d{4})-(\d{2})-(\d{2})/);
  if (!m) return undefined;
  return { yyyy: m[1]!, mm: m[2]!, dd: m[3]! };
}

/** Renders a template into a relative key whose every segment (and every placeholder's value) is sanitised. */
export function renderKey(template: string, input: LayoutInput): string {
  const date = wallClockDate(input.capturedAt);
  const name = sanitizeSegment(input.fileName);
  const { stem, ext } = splitExtension(name);
  const values: Record<Placeholder, string> = {
    yyyy: date?.yyyy ?? 'undated',
    mm: date?.mm ?? '00',
    dd: date?.dd ?? '00',
    name,
    stem,
    ext: ext.replace(/^\./, ''),
    // A value fills one segment: an album named `Trips/2019` or `../etc` must not add or climb folders.
    album: sanitizeSegment(input.albums?.[0] ?? '', 'No Album'),
    source: sanitizeSegment(input.source),
    kind: sanitizeSegment(input.kind),
  };
  const rendered = template.replace(/\{([^}]*)\}/g, (_, p: string) => values[p as Placeholder] ?? '');
  return rendered
    .split('/')
    .filter((s) => s !== '')
    .map((s) => sanitizeSegment(s))
    .join('/');
}

/** The n-th alternative for a key already taken by another file: `IMG_0001 (2).JPG`. */
export function alternativeKey(key: string, n: number): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const { stem, ext } = splitExtension(key.slice(slash + 1));
  return `${dir}${stem} (${n})${ext}`;
}
