import { createHash } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import { AlreadyExistsError } from '@lifeboat/plugin-api';
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

  /** Writes the sidecar of the copy just made at `key`. Best effort: what fails here, catchUp() tries again. */
  async afterCopy(key: string): Promise<void> {
    const due = this.catalog.sidecarFor(this.name, key);
    if (due) await this.write(due).catch(() => {});
  }

  /** Writes every sidecar that is missing or out of date on this destination; returns what could not be. */
  async catchUp(signal?: AbortSignal): Promise<{ written: number; failures: SidecarFailure[] }> {
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
