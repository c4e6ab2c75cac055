/**
 * Lets many writes run together, or one gc alone. gc must not run while a write is between placing its blob
 * (perhaps one that already existed, unreferenced) and committing the record that points at it: gc would see
 * no record, delete the blob, and leave the new record pointing at nothing. In-process only: another process's
 * writes are not seen (run gc when no backup is running).
 */
export class WriteGate {
  private writers = 0;
  private exclusive: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.writers++;
    try {
      return await fn();
    } finally {
      this.writers--;
      if (this.writers === 0) this.drained?.();
    }
  }

  async alone<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      // New writes now wait on `exclusive`; let the ones already running finish.
      if (this.writers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await fn();
    } finally {
      this.exclusive = undefined;
      release();
    }
  }
}
