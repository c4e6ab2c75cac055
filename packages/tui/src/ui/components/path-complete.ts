import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Tab completion of a path typed in a field, as a shell does it: the longest name shared by every entry that
 * starts with what was typed in the last part, with a `/` after a single folder. Undefined when nothing matches.
 * `~` stands for the home folder while listing; what the user typed is kept as typed.
 */
export function completePath(typed: string): string | undefined {
  if (typed === '') return undefined;
  const expanded = typed === '~' ? `${homedir()}/` : typed.replace(/^~(?=\/)/, homedir());
  const slash = expanded.lastIndexOf('/');
  const folder = slash === -1 ? '.' : slash === 0 ? '/' : expanded.slice(0, slash);
  const part = expanded.slice(slash + 1);
  let entries: { name: string; dir: boolean }[];
  try {
    entries = readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.name.startsWith(part) && (part.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => ({ name: e.name, dir: e.isDirectory() || (e.isSymbolicLink() && isDir(join(folder, e.name))) }));
  } catch {
    return undefined;
  }
  if (entries.length === 0) return undefined;
  const shared = entries.map((e) => e.name).reduce((a, b) => commonPrefix(a, b));
  const base = typed === '~' ? '~/' : typed.slice(0, typed.length - part.length);
  const only = entries.length === 1 ? entries[0] : undefined;
  return `${base}${shared}${only?.dir ? '/' : ''}`;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
