import {
  DestinationUnavailableError,
  InsufficientSpaceError,
  InvalidKeyError,
  isAbort,
  isLifeboatError,
} from '@lifeboat/plugin-api';
import { errnoCode, withPath } from './fs-error.js';

export interface ErrorContext {
  root: string;
  key: string;
  /** The file the operation touched, named in unclassified errors (EIO) so the user knows which drive failed. */
  path: string;
  action: 'read' | 'write' | 'delete';
}

const VERB = { read: 'read from', write: 'write to', delete: 'delete from' } as const;

/** Turns file system errors into core's classes, each saying which path failed and what to do. */
export function classifyFsError(error: unknown, { root, key, path, action }: ErrorContext): unknown {
  if (isLifeboatError(error) || isAbort(error)) return error;
  const code = errnoCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new DestinationUnavailableError(
        `Cannot ${VERB[action]} ${root}: ${code === 'EROFS' ? 'the drive is mounted read-only' : 'permission denied'}`,
        {
          hint: `Mount the drive${action === 'read' ? '' : ' read-write'} and check that your user may ${action === 'read' ? 'read' : 'write to'} this folder`,
          cause: error,
        },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new InsufficientSpaceError(`No space left on the drive holding ${root} (writing ${key})`, {
        hint: 'Free some space on the drive or back up to a larger one',
        cause: error,
      });
    case 'ENAMETOOLONG':
      return new InvalidKeyError(`Key "${key}" is too long for the file system at ${root}`, {
        hint: 'Use a shorter layout or shorter file names: most file systems allow 255 bytes per name',
        cause: error,
      });
    default:
      return withPath(error, action, path);
  }
}
