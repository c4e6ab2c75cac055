import { createHash } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Writes a small bookkeeping object, verified by size and sha256 like any copy. */
export async function writeBuffer(
  destination: Destination,
  key: string,
  data: Buffer,
  overwrite = false,
): Promise<void> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  await destination.write(key, oneChunk(data), { size: data.length, sha256, overwrite });
}

async function* oneChunk(data: Buffer): AsyncIterable<Uint8Array> {
  yield data;
}
