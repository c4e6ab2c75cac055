import { type FileHandle, open, unlink } from 'node:fs/promises';
import { checkedBody, type ObjectInfo, type WriteOptions } from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { classifyFsError } from './classify-error.js';
import { type CommitState, commitFile } from './commit.js';
import { keyPath, validateKey } from './key.js';
import { StagedWriter } from './staged-writer.js';
import { releaseTempPath, reserveTempPath } from './temp-files.js';

/**
 * The whole write path of the disk destination: stream to a temp file, check size (and sha256 when given),
 * fsync, then commit under the final name. Any failure or abort removes the temp file and leaves the key as it
 * was: absent, or holding the previous object.
 */
export async function writeObject(
  root: string,
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
  const tempPath = await reserveTempPath(root).catch((error: unknown) => {
    throw classifyFsError(error, { root, key, path: finalPath, action: 'write' });
  });
  let fh: FileHandle | undefined;
  try {
    fh = await open(tempPath, 'wx');
    const checked = checkedBody(body, { key, size, sha256: options.sha256, signal });
    const writer = new StagedWriter(fh, size);
    for await (const chunk of checked.stream) await writer.write(chunk);
    const sha256 = checked.sha256();
    await writer.flush();
    await fh.sync();
    const { mtime } = await fh.stat();
    await fh.close();
    fh = undefined;
    await commitFile({ root, key, tempPath, finalPath, overwrite: options.overwrite === true }, state);
    return { key, size, ...(sha256 === undefined ? {} : { sha256 }), modifiedAt: mtime.toISOString() };
  } catch (error) {
    await fh?.close().catch(() => {});
    await unlink(tempPath).catch(() => {}); // already gone after a successful link
    throw classifyFsError(error, { root, key, path: finalPath, action: 'write' });
  } finally {
    releaseTempPath(tempPath);
  }
}
