import { ConfigError, InvalidKeyError } from '@lifeboat/plugin-api';

/** Core's own bookkeeping (marker, index segments, probes) lives under this folder of the destination. */
export const META_DIR = '.lifeboat/';

/** S3's limit on a whole object key, prefix included, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * Why `key` is not a valid destination key, or undefined. The rules match the disk destination's, so one index
 * serves both: relative, `/`-separated, no `.`/`..`/empty segments, no NUL or backslash. Control characters are
 * refused too: S3 listings are XML, which cannot carry most of them (and turns `\r` into `\n`).
 */
export function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  if (/[\u0001-\u001f\u007f]/.test(key)) return 'it contains a control character';
  if (key.startsWith('/')) return 'it is absolute';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty path segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}

export function validateKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidKeyError(`Invalid key ${JSON.stringify(key)}: ${problem}`);
}

/** The S3 object key of a destination key: the configured prefix, then the key. */
export function objectKey(prefix: string, key: string): string {
  validateKey(key);
  const full = prefix + key;
  if (Buffer.byteLength(full, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidKeyError(
      `Key ${JSON.stringify(key)} is too long for S3 (${MAX_KEY_BYTES} bytes with the prefix)`,
      {
        hint: 'Use a shorter layout or prefix',
      },
    );
  }
  return full;
}

/** Whether a key is core's bookkeeping rather than a copy (no Object Lock there: index segments get compacted). */
export function isMetaKey(key: string): boolean {
  return key.startsWith(META_DIR);
}

/** `photos`, `/photos/`, `photos/` all mean the folder `photos/`; '' is the whole bucket. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const problem = keyProblem(trimmed);
  if (problem) throw new ConfigError(`Setting "prefix" is not a folder name: ${problem}`);
  return `${trimmed}/`;
}
