import type { Destination } from '@lifeboat/plugin-api';
import { fanOut } from '../engine/fan-out.js';
import type { ExpectedCopy } from './types.js';

/** Why one attempt to re-create a copy failed: the bytes offered (donor, source) or the write to the target. */
export type AttemptFailure = { side: 'donor' | 'target'; error: unknown };

/**
 * Writes `body` to `key` on `target` through the same safe path as a backup: the destination commits only a
 * complete object whose size and sha256 match the copy's record (temp name, check, atomic commit), so a bad
 * donor or an interrupted repair leaves the target as it was. `overwrite` only for a copy proven damaged.
 */
export async function writeVerified(
  target: Destination,
  copy: ExpectedCopy,
  body: AsyncIterable<Uint8Array>,
  overwrite: boolean,
  signal: AbortSignal,
): Promise<AttemptFailure | undefined> {
  const fan = fanOut(body, 1, { size: copy.size, sha256: copy.sha256 });
  const write = target
    .write(copy.key, fan.streams[0]!, {
      size: copy.size,
      sha256: copy.sha256,
      bodySha256: fan.sha256,
      overwrite,
      signal,
      // A re-created copy is dated by its capture, like the copy it replaces (a sidecar keeps its writing time).
      ...(copy.modifiedAt !== undefined && copy.sidecarOf === undefined ? { modifiedAt: copy.modifiedAt } : {}),
    })
    .finally(() => fan.release(0));
  const [digest, written] = await Promise.allSettled([fan.done, write]);
  if (digest.status === 'rejected') return { side: 'donor', error: digest.reason };
  if (written.status === 'rejected') return { side: 'target', error: written.reason };
  return undefined;
}
