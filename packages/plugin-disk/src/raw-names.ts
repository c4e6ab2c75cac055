import { sep } from 'node:path';
import { escapeInvalidUtf8 } from '@lifeboat/plugin-api';

/** A path as the file system takes it: bytes once a name on the way is not valid UTF-8 (see core's raw-names). */
export type FsPath = string | Buffer;

export const safeName = escapeInvalidUtf8;

/** A child's path: a plain string while every name on the way is valid UTF-8, bytes from then on. */
export function childPath(
  parent: FsPath,
  name: Buffer,
  valid: boolean,
  join: (a: string, b: string) => string,
): FsPath {
  if (typeof parent === 'string' && valid) return join(parent, name.toString('utf8'));
  return Buffer.concat([typeof parent === 'string' ? Buffer.from(parent) : parent, Buffer.from(sep), name]);
}
