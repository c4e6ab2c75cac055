import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidKeyError } from '../../errors/classes.js';
import { hasCode } from '../../errors/codes.js';

/**
 * Refuses a key whose folders pass through a symbolic link inside the root. The destination never creates one;
 * a link there (made by hand, or by a restore of someone's files) would let a repair write outside the drive and
 * a restore read from outside it. The root itself may be a link (a mount point alias); the file itself is opened
 * with O_NOFOLLOW or lstat'ed by the callers.
 */
export async function refuseLinkedFolders(root: string, key: string): Promise<void> {
  const segments = key.split('/').slice(0, -1);
  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if (hasCode(error, 'ENOENT', 'ENOTDIR')) return; // nothing further down exists yet
      throw error;
    }
    if (isLink) {
      throw new InvalidKeyError(
        `Key "${key}" passes through a symbolic link inside the destination (${current}); Lifeboat never follows links inside a destination`,
        { hint: `Replace the link ${current} with a real folder holding its files, or remove it, then run again` },
      );
    }
  }
}
