import { DestinationUnavailableError, InsufficientSpaceError, isAbort, isLifeboatError } from '@lifeboat/plugin-api';
import { hasCode } from './fs-util.js';

const VERB = { read: 'read', write: 'write', delete: 'delete' } as const;

/**
 * Turns file system errors into core's classes, so core knows what to do (skip the destination, report a full
 * drive). Other system errors keep their `code` (EIO, EBUSY): core's own classification decides on retries.
 */
export function classifyFsError(error: unknown, root: string, key: string, action: keyof typeof VERB): unknown {
  if (isLifeboatError(error) || isAbort(error)) return error;
  if (hasCode(error, 'EACCES', 'EPERM', 'EROFS')) {
    const readOnly = hasCode(error, 'EROFS');
    return new DestinationUnavailableError(
      `Cannot ${VERB[action]} ${key} in archive ${root}: ${readOnly ? 'the drive is mounted read-only' : 'permission denied'}`,
      { hint: 'Mount the drive read-write and check that your user may use this folder', cause: error },
    );
  }
  if (hasCode(error, 'ENOSPC', 'EDQUOT')) {
    return new InsufficientSpaceError(`No space left on the drive holding archive ${root} (writing ${key})`, {
      hint: 'Free some space on the drive, or move the archive to a larger one',
      cause: error,
    });
  }
  return error;
}
