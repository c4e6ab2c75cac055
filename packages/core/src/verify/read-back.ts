import { createHash } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';

/** Reads an object back in full, hashing as it streams (never the whole object in memory). */
export async function hashObject(
  destination: Destination,
  key: string,
  signal: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of await destination.read(key, { signal })) {
    signal.throwIfAborted();
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}
