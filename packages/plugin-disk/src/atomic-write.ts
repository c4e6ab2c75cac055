import {
  type CommitState,
  classifyFsError,
  commitFile,
  type ObjectInfo,
  receiveToFile,
  type TempFolder,
  type WriteOptions,
} from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { keyPath, validateKey } from './key.js';

/**
 * The whole write path of the disk destination, from the plugin API's file toolkit: stream to a temp file,
 * check size (and sha256 when given), fsync, then commit under the final name. Any failure or abort removes the
 * temp file and leaves the key as it was: absent, or holding the previous object.
 */
export async function writeObject(
  root: string,
  temp: TempFolder,
  state: CommitState,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
): Promise<ObjectInfo> {
  validateKey(key);
  const { size, signal } = options;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size ${size} for ${key}`);
  signal?.throwIfAborted();
  await requireReady(root);
  const finalPath = keyPath(root, key);
  const context = { root, key, path: finalPath, action: 'write' } as const;
  const tempPath = await temp.reserve().catch(async (error: unknown) => {
    await requireReady(root); // the temp folder's parent vanished: explain (drive gone)
    throw classifyFsError(error, context);
  });
  try {
    const received = await receiveToFile(tempPath, key, body, { ...options, bodySha256: undefined });
    const rootMissing = () => requireReady(root);
    await commitFile({ root, key, tempPath, finalPath, overwrite: options.overwrite === true, rootMissing }, state);
    temp.release(tempPath);
    return { key, ...received };
  } catch (error) {
    await temp.discard(tempPath).catch(() => {});
    throw classifyFsError(error, context);
  }
}
