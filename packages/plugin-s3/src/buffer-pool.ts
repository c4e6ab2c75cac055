/**
 * Part-sized buffers shared by every upload of one destination: a single PUT's body and each multipart part
 * are filled into a buffer taken here and given back once the request settled. Allocating them per file (up to
 * 8 MiB each, thousands of files) left that much external garbage per file, which the GC collects late: it cost
 * 10-15 % of a run's CPU and tens of MiB of peak memory. Buffers of another size (parts of files over ~70 GB)
 * are allocated and dropped as before.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    /** Free buffers kept for reuse; more are dropped (a burst of parallel uploads does not pin its peak). */
    private readonly keep: number,
  ) {}

  take(size = this.size): Buffer {
    if (size !== this.size) return Buffer.allocUnsafeSlow(size);
    return this.free.pop() ?? Buffer.allocUnsafeSlow(size);
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}
