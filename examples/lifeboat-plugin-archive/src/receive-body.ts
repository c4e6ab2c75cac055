import type { FileHandle } from 'node:fs/promises';
import { checkedBody, type WriteOptions } from '@lifeboat/plugin-api';

const STAGE_BYTES = 1024 * 1024;

/**
 * Streams `body` into `fh` and returns its sha256 (the blob's address: core's digest of the body when it offers
 * one, else computed here). Fails with IntegrityError on a long or short body or a sha256 other than the one
 * promised, and with the signal's reason on abort. Small chunks are copied into a 1 MiB stage (few large writes instead of many tiny ones); each chunk
 * is hashed and written or copied before the next is requested, so a producer reusing its buffer is harmless.
 */
export async function receiveBody(
  fh: FileHandle,
  key: string,
  body: AsyncIterable<Uint8Array>,
  { size, sha256: expected, bodySha256, signal }: WriteOptions,
): Promise<string> {
  const stage = Buffer.allocUnsafe(STAGE_BYTES);
  let staged = 0;
  let position = 0;
  const writeFully = async (data: Uint8Array) => {
    // write(2) may write less than asked: loop until every byte is handed to the OS.
    for (let done = 0; done < data.byteLength; ) {
      const { bytesWritten } = await fh.write(data, done, data.byteLength - done, position);
      done += bytesWritten;
      position += bytesWritten;
    }
  };
  const flush = async () => {
    if (staged > 0) await writeFully(stage.subarray(0, staged));
    staged = 0;
  };

  const checked = checkedBody(body, { key, size, sha256: expected, bodySha256, signal, alwaysHash: true });
  for await (const chunk of checked.stream) {
    if (chunk.byteLength >= STAGE_BYTES / 4) {
      await flush();
      await writeFully(chunk);
    } else {
      if (staged + chunk.byteLength > STAGE_BYTES) await flush();
      stage.set(chunk, staged);
      staged += chunk.byteLength;
    }
  }
  const actual = checked.sha256()!;
  await flush();
  return actual;
}
