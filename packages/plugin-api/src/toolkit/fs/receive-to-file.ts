import { type FileHandle, open } from 'node:fs/promises';
import type { WriteOptions } from '../../api/destination.js';
import { checkedBody } from '../checked-body.js';
import { StagedWriter } from './staged-writer.js';

export interface ReceivedFile {
  size: number;
  /** The body's sha256: always with `alwaysHash`, else when it was promised or core offered its digest. */
  sha256?: string;
  /** The file's modification time (ISO 8601) once complete. */
  modifiedAt: string;
}

/**
 * The first half of an atomic write: streams `body` into a new file at `path` (`wx`: never over an existing
 * one), checks its size and sha256 on the way (`checkedBody`: IntegrityError, or the signal's reason on abort),
 * sets its modification time when asked (`options.modifiedAt`), fsyncs and closes it. The caller then makes it visible in one step (`commitFile`, or a rename of its own) and,
 * on any failure, discards the file (`TempFolder.discard`).
 */
export async function receiveToFile(
  path: string,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: WriteOptions,
  { alwaysHash = false }: { alwaysHash?: boolean } = {},
): Promise<ReceivedFile> {
  const { size, sha256: expected, bodySha256, signal } = options;
  let fh: FileHandle | undefined = await open(path, 'wx');
  try {
    const checked = checkedBody(body, { key, size, sha256: expected, bodySha256, signal, alwaysHash });
    const writer = new StagedWriter(fh, size);
    for await (const chunk of checked.stream) await writer.write(chunk);
    const sha256 = checked.sha256();
    await writer.flush();
    // Set before the sync and the commit: the file appears under its name already carrying its time.
    const at = modifiedTime(options.modifiedAt);
    if (at) await fh.utimes(at, at);
    await fh.sync();
    const { mtime } = await fh.stat();
    await fh.close();
    fh = undefined;
    return { size, ...(sha256 === undefined ? {} : { sha256 }), modifiedAt: mtime.toISOString() };
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** A valid instant, else undefined: a bad time is no reason to lose a copy (the file keeps the time of writing). */
function modifiedTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
