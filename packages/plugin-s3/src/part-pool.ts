import type { BufferPool } from './buffer-pool.js';

/**
 * The part buffers of one multipart upload: at most `count` buffers of `size` bytes at a time, taken from the
 * destination's shared pool and reused part after part, so a whole upload holds `count × size` bytes however
 * large the file. (Assembling each part anew, as lib-storage does, leaves a part-sized buffer of garbage per
 * part; with gigabytes going through, the garbage alone kept the process 30-40 MiB larger.)
 */
export class PartPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: (() => void)[] = [];
  private allocated = 0;

  constructor(
    private readonly size: number,
    private readonly count: number,
    private readonly shared: BufferPool,
  ) {}

  /** A buffer to fill; waits while all `count` are taken (parts still uploading). */
  async take(): Promise<Buffer> {
    for (;;) {
      const buffer = this.free.pop();
      if (buffer) return buffer;
      if (this.allocated < this.count) {
        this.allocated++;
        return this.shared.take(this.size);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
    this.waiting.shift()?.();
  }

  /** Once no part is in flight any more: hands the buffers back to the shared pool for the next upload. */
  release(): void {
    for (const buffer of this.free.splice(0)) this.shared.give(buffer);
  }
}
