import { InvalidKeyError } from '../errors/index.js';

/**
 * The key rules of the Destination contract, in one place: `/`-separated, relative, no `.`/`..`/empty segments,
 * no NUL, backslash or other control character, well-formed Unicode. Core never produces such keys (its layout
 * sanitises every segment); the rules keep a key from escaping a destination's root or having two spellings (a
 * lone surrogate encodes to the same UTF-8 as U+FFFD). Why `key` breaks them, or undefined.
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  if (/[\u0001-\u001f\u007f]/.test(key)) return 'it contains a control character';
  if (key.startsWith('/')) return 'it is absolute';
  if (/\p{Surrogate}/u.test(key)) return 'it is not well-formed Unicode';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty path segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}

/** Throws `InvalidKeyError` for a key that breaks the rules of `keyProblem`. */
export function validateKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidKeyError(`Invalid key ${JSON.stringify(key)}: ${problem}`);
}
