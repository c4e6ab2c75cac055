import { stat } from 'node:fs/promises';
import { classifyFsError, ifPresent, receiveToFile, type WriteOptions } from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { placeBlob } from './blob-store.js';
import { recordPath, tempFolder } from './layout.js';
import { commitRecord, exists, type KeyRecord, type LinkState } from './records.js';

/**
 * The write path (keys arrive checked: the host puts every destination behind the API's key rules): stream to
 * a temp file while hashing, check size and sha256, fsync (the API's `receiveToFile`), rename it to its blob
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
  const { size, signal } = options;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size ${size} for ${key}`);
  signal?.throwIfAborted();
  await requireReady(root); // never creates the root: a missing drive fails here
  const overwrite = options.overwrite === true;
  const temp = tempFolder(root);
  let tempPath: string | undefined;
  try {
    // Early refusal saves streaming a whole video for nothing; commitRecord's link() still decides races.
    if (!overwrite && (await ifPresent(stat(recordPath(root, key))))) throw exists(key);
    tempPath = await temp.reserve(); // the caller has checked the marker: the root exists
    // alwaysHash: the blob's name is its sha256, so there always is one.
    const sha256 = (await receiveToFile(tempPath, key, body, options, { alwaysHash: true })).sha256!;
    signal?.throwIfAborted(); // last moment an abort can still leave nothing behind
    await placeBlob(root, tempPath, sha256);
    const record: KeyRecord = { key, sha256, size, modifiedAt: new Date().toISOString() };
    await commitRecord(root, record, overwrite, links);
    return record;
  } catch (error) {
    throw classifyFsError(error, { root, key, path: root, action: 'write' });
  } finally {
    if (tempPath) await temp.discard(tempPath).catch(() => {}); // gone already once placed
  }
}
