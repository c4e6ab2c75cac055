import { type FileHandle, open, stat } from 'node:fs/promises';
import type { WriteOptions } from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { placeBlob } from './blob-store.js';
import { classifyFsError } from './classify-error.js';
import { ifPresent } from './fs-util.js';
import { validateKey } from './keys.js';
import { recordPath } from './layout.js';
import { receiveBody } from './receive-body.js';
import { commitRecord, exists, type KeyRecord, type LinkState } from './records.js';
import { discardTemp, reserveTemp } from './temp-files.js';

/**
 * The write path: stream to a temp file while hashing, check size and sha256, fsync, rename it to its blob
 * name (one blob per content, however many keys), then commit the record. The record is the only thing `stat`,
 * `read` and `list` look at, and it appears last and atomically, so any failure before it leaves nothing
 * visible and an existing object untouched. A failure after the blob was placed leaves an unreferenced blob,
 * invisible and removed by `gc()`.
 */
export async function writeObject(
  root: string,
  links: LinkState,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
): Promise<KeyRecord> {
  validateKey(key);
  const { size, signal } = options;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size ${size} for ${key}`);
  signal?.throwIfAborted();
  await requireReady(root); // never creates the root: a missing drive fails here
  const overwrite = options.overwrite === true;
  let tempPath: string | undefined;
  let fh: FileHandle | undefined;
  try {
    // Early refusal saves streaming a whole video for nothing; commitRecord's link() still decides races.
    if (!overwrite && (await ifPresent(stat(recordPath(root, key))))) throw exists(key);
    tempPath = await reserveTemp(root);
    fh = await open(tempPath, 'wx');
    const sha256 = await receiveBody(fh, key, body, options);
    await fh.sync();
    await fh.close();
    fh = undefined;
    signal?.throwIfAborted(); // last moment an abort can still leave nothing behind
    await placeBlob(root, tempPath, sha256);
    const record: KeyRecord = { key, sha256, size, modifiedAt: new Date().toISOString() };
    await commitRecord(root, record, overwrite, links);
    return record;
  } catch (error) {
    throw classifyFsError(error, root, key, 'write');
  } finally {
    await fh?.close().catch(() => {});
    if (tempPath) await discardTemp(tempPath).catch(() => {}); // gone already once placed
  }
}
