import { albumPaths, type IndexEntry } from '@lifeboat/core';
import { periodOf } from '../../app/browse.js';

export type Row =
  | { type: 'group'; label: string; step: string; entries: IndexEntry[]; bytes: number }
  | { type: 'file'; entry: IndexEntry };

export type View = 'date' | 'album';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const NO_ALBUM = '(in no album)';

function groups(entries: IndexEntry[], keyOf: (e: IndexEntry) => string[]): Map<string, IndexEntry[]> {
  const out = new Map<string, IndexEntry[]>();
  for (const e of entries) {
    for (const k of keyOf(e)) {
      const list = out.get(k);
      if (list) list.push(e);
      else out.set(k, [e]);
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const groupRows = (m: Map<string, IndexEntry[]>, label: (k: string) => string): Row[] =>
  [...m].map(([k, entries]) => ({
    type: 'group',
    label: label(k),
    step: k,
    entries,
    bytes: entries.reduce((s, e) => s + e.size, 0),
  }));

const fileRows = (entries: IndexEntry[]): Row[] =>
  [...entries]
    .sort((a, b) => (a.capturedAt ?? '').localeCompare(b.capturedAt ?? '') || a.key.localeCompare(b.key))
    .map((entry) => ({ type: 'file', entry }));

/**
 * The rows at one place of the browser: years › months › files, or albums › files; a search lists every
 * file whose name or path contains the text, wherever it is.
 */
export function rowsAt(entries: IndexEntry[], view: View, path: string[], search: string): Row[] {
  if (search) {
    const q = search.toLowerCase();
    // The name, the copy's key, or the folder it had in its source (`Trip 2024`).
    const hit = (e: IndexEntry) => [e.fileName, e.key, e.folder ?? ''].some((t) => t.toLowerCase().includes(q));
    return fileRows(entries.filter(hit));
  }
  if (view === 'album') {
    // An album inside a folder is listed by its path (`Trips/Paris`), so two `Paris` albums stay apart.
    const byAlbum = groups(entries, (e) => (e.albums.length > 0 ? albumPaths(e) : [NO_ALBUM]));
    return path.length === 0 ? groupRows(byAlbum, (k) => k) : fileRows(byAlbum.get(path[0]!) ?? []);
  }
  const byYear = groups(entries, (e) => [periodOf(e).year]);
  if (path.length === 0) return groupRows(byYear, (k) => k);
  const inYear = byYear.get(path[0]!) ?? [];
  if (path.length === 1) {
    return groupRows(
      groups(inYear, (e) => [periodOf(e).month]),
      (m) => (MONTHS[Number(m) - 1] ? `${m} ${MONTHS[Number(m) - 1]}` : m),
    );
  }
  return fileRows(inYear.filter((e) => periodOf(e).month === path[1]));
}
