import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { TempFolder } from '@lifeboat/plugin-api';

/**
 * Where everything lives under the archive root:
 *
 *   .archive-root                       marker written by prepare(): "this folder is a prepared archive"
 *   blobs/<sha[0:2]>/<sha>              each distinct body once, named by its sha256
 *   keys/<h[0:2]>/<h>.json              one record per key: {key, sha256, size, modifiedAt}; h = sha256(key)
 *   tmp/<uuid>.part                     bodies and records being written (never listed; recover() empties it)
 *
 * Record files are named by the hash of the key, not by an encoding of it: the name has a fixed length (a
 * base64url name outgrows the 255-byte NAME_MAX for keys over ~190 bytes) and is lower-case hex, so it cannot
 * collide on case-insensitive drives (exFAT, APFS), where base64url's `a` and `A` would be one file. The key
 * itself is inside the record, so listing reads the records. The 2-hex-digit fan-out keeps every folder at
 * 1/256 of the archive.
 */
export const MARKER = '.archive-root';
export const BLOBS = 'blobs';
export const KEYS = 'keys';
export const TMP = 'tmp';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const RECORD_FILE = /^[0-9a-f]{64}\.json$/;

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function blobDir(root: string, sha256: string): string {
  return join(root, BLOBS, sha256.slice(0, 2));
}

export function blobPath(root: string, sha256: string): string {
  return join(blobDir(root, sha256), sha256);
}

export function recordPath(root: string, key: string): string {
  const h = sha256Of(key);
  return join(root, KEYS, h.slice(0, 2), `${h}.json`);
}

/** `tmp/`: on the same drive as blobs and records (so rename is atomic) and outside `keys/`, so never listed. */
export function tempFolder(root: string): TempFolder {
  return new TempFolder(join(root, TMP));
}
