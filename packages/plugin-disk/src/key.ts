import { join } from 'node:path';
import { InvalidKeyError } from '@lifeboat/plugin-api';

/** Where the destination keeps its own files: core's marker and index live in `.lifeboat/`, temp files below. */
export const META_DIR = '.lifeboat';
export const TEMP_DIR = `${META_DIR}/tmp`;

/**
 * Checks that a key names a file inside the root: `/`-separated, relative, no `.`/`..`/empty segments, no NUL
 * and no backslash (a separator on Windows, and never produced by core). Any other Unicode is fine. Keys under
 * the temp folder are reserved: objects there would never be listed.
 */
export function validateKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidKeyError(`Invalid key ${JSON.stringify(key)}: ${problem}`);
}

function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  if (key.startsWith('/')) return 'it is absolute';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty path segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  // Lowercased: on case-insensitive drives (exFAT, APFS) `.Lifeboat/TMP` is the same folder.
  const lower = key.toLowerCase();
  if (lower === TEMP_DIR || lower.startsWith(`${TEMP_DIR}/`)) return `${TEMP_DIR}/ is reserved for temporary files`;
  return undefined;
}

/** The file path of a (validated) key. */
export function keyPath(root: string, key: string): string {
  return join(root, ...key.split('/'));
}

/** Segments of a list prefix's folder part, or undefined when no valid key can start with the prefix. */
export function prefixDirSegments(prefix: string): string[] | undefined {
  const slash = prefix.lastIndexOf('/');
  if (slash < 0) return [];
  const segments = prefix.slice(0, slash).split('/');
  const possible = segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\') && !s.includes('\0'));
  return possible ? segments : undefined;
}
