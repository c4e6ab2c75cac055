import type { LayoutPlaceholder } from '@lifeboat/plugin-api';
import { sanitizeSegment, splitExtension } from './sanitize.js';

/** What a layout template can refer to. */
export interface LayoutInput {
  fileName: string;
  capturedAt?: string;
  albums?: string[];
  /** The source-relative folder, `/`-separated (`Trip 2024/Day 1`). */
  folder?: string;
  source: string;
  kind: string;
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
  const values: Record<LayoutPlaceholder, string> = {
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
    // The one value that may span folders: each of its segments is sanitised on its own below, and `..` or an
    // empty segment is dropped so it can never climb out of the destination.
    folder: (input.folder ?? '')
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .join('/'),
  };
  const rendered = template.replace(/\{([^}]*)\}/g, (_, p: string) => values[p as LayoutPlaceholder] ?? '');
  return rendered
    .split('/')
    .filter((s) => s !== '')
    .map((s) => sanitizeSegment(s))
    .join('/');
}

/** Whether keys rendered from this template depend on a photo's albums (then they must be known first). */
export function layoutUsesAlbums(template: string): boolean {
  return template.includes('{album}');
}

/** The n-th alternative for a key already taken by another file: `IMG_0001 (2).JPG`. */
export function alternativeKey(key: string, n: number): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const { stem, ext } = splitExtension(key.slice(slash + 1));
  return `${dir}${stem} (${n})${ext}`;
}
