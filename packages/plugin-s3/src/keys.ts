// Key rules are the plugin API's (keyProblem/validateKey, also applied by the host); S3 adds its length limit.
import { ConfigError, InvalidKeyError, keyProblem, validateKey } from '@lifeboat/plugin-api';

/** Core's own bookkeeping (marker, index segments, probes) lives under this folder of the destination. */
export const META_DIR = '.lifeboat/';

/** S3's limit on a whole object key, prefix included, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

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
