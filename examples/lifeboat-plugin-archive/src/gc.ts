import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, hasCode } from '@lifeboat/plugin-api';
import { requireReady } from './availability.js';
import { BLOBS, SHA256_HEX } from './layout.js';
import { entries, listRecords, mayBe } from './list-records.js';

export interface GcResult {
  /** Blobs removed because no key referenced them. */
  removedBlobs: number;
  freedBytes: number;
  /** Blobs still referenced by at least one key. */
  keptBlobs: number;
}

/**
 * Removes every blob no record references: left by `delete`, by `overwrite`, or by a write that lost a race
 * after its blob was placed. Reads all records first, then sweeps `blobs/`; anything there that is not named
 * like a blob (`.DS_Store`) is left alone. The caller must make sure no write runs meanwhile (see WriteGate).
 */
export async function collectGarbage(root: string): Promise<GcResult> {
  await requireReady(root);
  const referenced = new Set<string>();
  for await (const record of listRecords(root)) referenced.add(record.sha256);

  const result: GcResult = { removedBlobs: 0, freedBytes: 0, keptBlobs: 0 };
  const blobsDir = join(root, BLOBS);
  for (const fanout of await entries(blobsDir)) {
    if (!mayBe(fanout, 'folder') || !/^[0-9a-f]{2}$/.test(fanout.name)) continue;
    const dir = join(blobsDir, fanout.name);
    let removedHere = false;
    for (const entry of await entries(dir)) {
      if (!mayBe(entry, 'file') || !SHA256_HEX.test(entry.name) || !entry.name.startsWith(fanout.name)) continue;
      if (referenced.has(entry.name)) {
        result.keptBlobs++;
        continue;
      }
      const path = join(dir, entry.name);
      try {
        const { size } = await lstat(path);
        await unlink(path);
        result.removedBlobs++;
        result.freedBytes += size;
        removedHere = true;
      } catch (error) {
        if (!hasCode(error, 'ENOENT')) throw error;
      }
    }
    if (removedHere) await fsyncDir(dir);
  }
  return result;
}
