import { join } from 'node:path';
import { InvalidKeyError, validateKey as validateApiKey } from '@lifeboat/plugin-api';

/** Where the destination keeps its own files: core's marker and index live in `.lifeboat/`, temp files below. */
export const META_DIR = '.lifeboat';
export const TEMP_DIR = `${META_DIR}/tmp`;

/**
 * The plugin API's key rules (which the host applies too), and one of this destination's own: keys under the temp
 * folder are reserved, as objects there would never be listed. Checked again here because keys become paths.
 */
export function validateKey(key: string): void {
  validateApiKey(key);
  // Lowercased: on case-insensitive drives (exFAT, APFS) `.Lifeboat/TMP` is the same folder.
  const lower = key.toLowerCase();
  if (lower === TEMP_DIR || lower.startsWith(`${TEMP_DIR}/`)) {
    throw new InvalidKeyError(`Invalid key ${JSON.stringify(key)}: ${TEMP_DIR}/ is reserved for temporary files`);
  }
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
