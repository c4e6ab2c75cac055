/**
 * Serialises writes of the same object within this process. Where the server enforces `If-None-Match: *`, it
 * alone decides which of two racing writes wins; where it does not (fauxqs, some S3-compatible services), this
 * lock makes "check that the key is free, then upload" safe for every writer in this process, and core's run
 * lock keeps two runs of a plan apart. Two different processes writing the same key of such a server at the same
 * instant remain a race (see README, "No overwrite").
 */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier `run` for the same key has settled. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Whether a write of `key` is running or waiting in this process. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}

/** One per process: two destination objects for the same bucket must not race each other either. */
export const processKeyLocks = new KeyLocks();
