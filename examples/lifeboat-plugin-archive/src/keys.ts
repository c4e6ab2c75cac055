import { InvalidKeyError } from '@lifeboat/plugin-api';

/**
 * Checks a key the way the Destination contract asks: `/`-separated, relative, no `.`/`..`/empty segments,
 * no NUL, no backslash. Keys never become paths here (records are named by hash), but rejecting them keeps one
 * object from having two spellings and keeps this destination interchangeable with a plain folder.
 */
export function validateKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidKeyError(`Invalid key ${JSON.stringify(key)}: ${problem}`);
}

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  if (key.startsWith('/')) return 'it is absolute';
  // A lone surrogate encodes to the same UTF-8 as U+FFFD: two keys would share one record file.
  if (/\p{Surrogate}/u.test(key)) return 'it is not well-formed Unicode';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty path segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}
