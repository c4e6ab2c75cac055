import { createHash } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import { AlreadyExistsError, ErrorCode, hasCode } from '@lifeboat/plugin-api';
import type { Catalog, SidecarDue } from '../catalog/index.js';
import { writeBuffer } from '../dest-index/io.js';
import { sidecarKey } from './keys.js';
import { writeXmp } from './xmp.js';

export interface SidecarFailure {
  key: string;
  error: unknown;
}

/** Sidecars checked per catalog page. */
const PAGE = 500;
/** Sidecars written at once beside the copies of a run, at most. */
const MAX_IN_FLIGHT = 16;

/**
 * Writes the XMP sidecar beside each copy on one destination (docs/architecture.md, invariant 7: the photo's
 * bytes are never touched; what the photo is travels beside it). A sidecar goes through the destination's
 * atomic write like any copy, is recorded in the catalog with its sha256, and makes the copy's index entry due
 * again, so the destination's index lists it. A sidecar is rewritten when its asset's metadata changed (the
 * catalog's metadata stamp), never the photo.
 */
export class SidecarWriter {
  constructor(
    private readonly catalog: Catalog,
    private readonly name: string,
    private readonly destination: Destination,
  ) {}

  /** Copies whose sidecar is being written just after them: their index entry waits for it (see IndexFlusher). */
  readonly writing = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * Starts the sidecar of the copy just made at `key`, and calls `then` once it is written (or failed: catchUp()
   * tries again). The copy's worker goes on to the next file meanwhile (a sidecar's durable write would double a
   * small photo's time); at most MAX_IN_FLIGHT are under way, beyond that this waits for one to end.
   */
  async afterCopy(key: string, then: () => void = () => {}): Promise<void> {
    this.writing.add(key); // before any await: the copy was recorded in this same tick
    const task: Promise<void> = this.#writeAfterCopy(key).finally(() => {
      this.writing.delete(key);
      this.#inFlight.delete(task);
      then();
    });
    this.#inFlight.add(task);
    while (this.#inFlight.size > MAX_IN_FLIGHT) await Promise.race(this.#inFlight);
  }

  async #writeAfterCopy(key: string): Promise<void> {
    const due = this.catalog.sidecarFor(this.name, key);
    if (due) await this.write(due).catch(() => {});
  }

  /** Waits for every sidecar afterCopy started. */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Writes every sidecar that is missing or out of date on this destination; returns what could not be. */
  async catchUp(signal?: AbortSignal): Promise<{ written: number; failures: SidecarFailure[] }> {
    await this.settle();
    let written = 0;
    const failures: SidecarFailure[] = [];
    let after = 0;
    for (;;) {
      const page = this.catalog.dueSidecars(this.name, after, PAGE);
      if (page.length === 0 || signal?.aborted) break;
      after = page[page.length - 1]!.rowid;
      for (const due of page) {
        if (signal?.aborted) break;
        try {
          if (await this.write(due)) written++;
        } catch (error) {
          failures.push({ key: sidecarKey(due.key), error });
          // A drive that is gone (or a bucket refusing access) fails every other sidecar the same way: said once.
          if (hasCode(error, ErrorCode.DestinationUnavailable)) return { written, failures };
        }
      }
    }
    return { written, failures };
  }

  /** Writes one sidecar unless the same bytes are recorded already; records it. Whether anything was written. */
  async write(due: SidecarDue): Promise<boolean> {
    const data = Buffer.from(writeXmp(due.input), 'utf8');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const meta = due.meta;
    if (due.sha256 === sha256) {
      this.catalog.recordSidecar(this.name, due.key, { size: data.length, sha256, meta });
      return false;
    }
    const key = sidecarKey(due.key);
    const owner = this.catalog.keyOwner(this.name, key);
    if (owner && !owner.pending) {
      // A file from the source is itself named like this sidecar: it is never overwritten.
      throw new AlreadyExistsError(`${key} holds a copy of another file; its sidecar was not written`, {
        hint: 'Rename that file at the source, or set `sidecars=none` on this destination',
      });
    }
    // Overwrite: a sidecar is replaced whole (atomically) when the metadata changes. It keeps the time it was
    // written, not the capture time, so sync tools that compare times see the new one.
    await writeBuffer(this.destination, key, data, true);
    this.catalog.recordSidecar(this.name, due.key, { size: data.length, sha256, meta });
    return true;
  }
}
