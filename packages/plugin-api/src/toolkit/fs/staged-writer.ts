import type { FileHandle } from 'node:fs/promises';

const STAGE_BYTES = 1024 * 1024;

/**
 * Writes a body to a file in large chunks: small chunks are copied into a 1 MiB staging buffer, large ones are
 * written as they come. Every chunk is written or copied before the next is requested, so a producer that
 * reuses its buffers cannot change bytes already counted and hashed.
 */
export class StagedWriter {
  // Allocated on the first small chunk only, and no larger than the object: most bodies arrive in large chunks
  // and never need it, and a 1 MiB buffer per small photo is garbage the GC must chase.
  private stage: Buffer | undefined;
  private staged = 0;
  private position = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly expectedSize: number = STAGE_BYTES,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.byteLength >= STAGE_BYTES / 4) {
      await this.flush();
      await this.writeFully(chunk);
      return;
    }
    if (this.staged + chunk.byteLength > STAGE_BYTES) await this.flush();
    this.stage ??= Buffer.allocUnsafe(Math.max(chunk.byteLength, Math.min(STAGE_BYTES, this.expectedSize)));
    if (this.staged + chunk.byteLength > this.stage.byteLength) {
      // The body is longer than announced: grow to the full stage (the caller rejects the size later).
      const bigger = Buffer.allocUnsafe(STAGE_BYTES);
      this.stage.copy(bigger, 0, 0, this.staged);
      this.stage = bigger;
    }
    this.stage.set(chunk, this.staged);
    this.staged += chunk.byteLength;
  }

  async flush(): Promise<void> {
    if (this.staged === 0 || !this.stage) return;
    const data = this.stage.subarray(0, this.staged);
    this.staged = 0;
    await this.writeFully(data);
  }

  /** `write(2)` may write fewer bytes than asked; loop until all are on their way to the disk. */
  private async writeFully(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.byteLength) {
      const { bytesWritten } = await this.fh.write(data, done, data.byteLength - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }
}
