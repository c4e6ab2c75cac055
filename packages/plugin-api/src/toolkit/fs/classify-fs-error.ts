import { DestinationUnavailableError, InsufficientSpaceError, InvalidKeyError } from '../../errors/classes.js';
import { isAbort } from '../../errors/classify.js';
import { errorCode, isLifeboatError } from '../../errors/codes.js';
import { withPath } from './errno.js';

export interface FsErrorContext {
  /** The destination's folder, as the user knows it. */
  root: string;
  key: string;
  /** The file the operation touched, named in unclassified errors (EIO) so the user knows which drive failed. */
  path: string;
  action: 'read' | 'write' | 'delete';
}

const VERB = { read: 'read from', write: 'write to', delete: 'delete from' } as const;

/**
 * Turns a file system error (errno) into the plugin API's classes, each saying which path failed and what to do:
 * no permission or a read-only drive makes the destination unavailable, a full drive is InsufficientSpaceError,
 * a name too long for the file system an invalid key. Other errors keep their code (EIO, EBUSY) for core's
 * retry decision, their message naming the path. Lifeboat errors and aborts pass through unchanged.
 */
export function classifyFsError(error: unknown, { root, key, path, action }: FsErrorContext): unknown {
  if (isLifeboatError(error) || isAbort(error)) return error;
  const code = errorCode(error);
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
