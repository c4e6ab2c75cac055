import type { Destination } from '@lifeboat/plugin-api';
import type { Catalog, CatalogResource } from '../catalog/index.js';
import { alternativeKey, renderKey } from '../layout/index.js';
import { copyKeyOf, sidecarKey } from '../sidecar/keys.js';

const MAX_ALTERNATIVES = 10_000;
/** Keys held in memory at most by listKeys() (~10 MB). */
const MAX_LISTED_KEYS = 100_000;

function sameVersion(a: { source: string; assetId: string; kind: string; version: string }, b: CatalogResource) {
  return a.source === b.source && a.assetId === b.assetId && a.kind === b.kind && a.version === b.version;
}

/**
 * Chooses the key a resource gets on one destination: the layout's key, or `name (2).ext`, `(3)`... when
 * another file holds it. Never a key that exists on the destination or that the catalog gives to another file,
 * so two different `IMG_0001.JPG` never overwrite each other. Keys handed out in this run are reserved
 * synchronously, before the first await, so concurrent copies cannot pick the same one.
 */
export class KeyPicker {
  private readonly reserved = new Set<string>();
  /** Every key the destination held when listed, once listKeys() ran: then no stat per pick. */
  private listed: Set<string> | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly destinationName: string,
    private readonly destination: Destination,
    private readonly layout: string,
  ) {}

  /**
   * Lists the destination once, so picks check a set instead of asking the destination about each key: one LIST
   * per 1,000 keys instead of one HEAD per file on S3 (where each costs a round trip and server work), one walk
   * instead of a stat per file on disk. Worth it when many files are to be copied (see run-backup.ts). A key
   * another writer creates after the listing is still never overwritten: every destination's write() refuses
   * an existing key, so that copy fails and the next run picks another name.
   */
  async listKeys(limit = MAX_LISTED_KEYS): Promise<void> {
    const keys = new Set<string>();
    for await (const object of this.destination.list()) {
      // A huge destination would cost more memory than its stats cost time: ask key by key after all.
      if (keys.size >= limit) return;
      keys.add(object.key);
    }
    this.listed = keys;
  }

  async pick(resource: CatalogResource): Promise<string> {
    const base = renderKey(this.layout, {
      fileName: resource.fileName,
      capturedAt: resource.capturedAt,
      albums: resource.albums,
      ...(resource.folder ? { folder: resource.folder } : {}),
      source: resource.source,
      kind: resource.kind,
    });
    for (let n = 1; n <= MAX_ALTERNATIVES; n++) {
      const key = n === 1 ? base : alternativeKey(base, n);
      const owner = this.catalog.keyOwner(this.destinationName, key);
      // Our own write from an interrupted attempt: the key is still ours.
      if (owner && sameVersion(owner, resource) && !this.reserved.has(key)) {
        this.reserved.add(key);
        return key;
      }
      if (owner || this.reserved.has(key) || this.sidecarClash(key)) continue;
      this.reserved.add(key);
      // Something we do not know of: never overwrite it.
      if (this.listed ? this.listed.has(key) : await this.destination.stat(key)) continue;
      return key;
    }
    throw new Error(`No free name for ${base} after ${MAX_ALTERNATIVES} alternatives`);
  }

  /**
   * A key whose sidecar name is another copy's, or that is itself the sidecar name of a copy (a source file
   * called `IMG_0001.JPG.xmp`): a sidecar write must never meet a photo, so such a key is passed over.
   */
  private sidecarClash(key: string): boolean {
    const base = copyKeyOf(key);
    return (
      this.catalog.keyOwner(this.destinationName, sidecarKey(key)) !== undefined ||
      this.reserved.has(sidecarKey(key)) ||
      (base !== undefined &&
        (this.catalog.keyOwner(this.destinationName, base) !== undefined || this.reserved.has(base)))
    );
  }

  release(key: string): void {
    this.reserved.delete(key);
  }
}
