import type { Destination } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { readIndex } from '../dest-index/index.js';
import type { ExpectedCopy } from './types.js';

/** Another destination that may hold a healthy copy of what a target lost. */
export class Donor {
  #bySha: Promise<Map<string, string>> | undefined;

  constructor(
    readonly name: string,
    readonly destination: Destination,
    private readonly catalog: Catalog | undefined,
  ) {}

  /**
   * Where this destination keeps the same bytes: the catalog's copy of the same resource version, else any
   * entry of its own index with the same sha256 (works with no local state). Its bytes are still checked
   * against the sha256 while they are copied: a record is a claim, not a proof.
   */
  async keyFor(copy: ExpectedCopy): Promise<string | undefined> {
    const recorded = this.catalog?.findCopy(this.name, copy.source, copy.assetId, copy.kind, copy.version);
    if (recorded && recorded.sha256 === copy.sha256) return recorded.key;
    // A sidecar: the same bytes beside the donor's copy of the same photo.
    if (recorded?.sidecar && recorded.sidecar.sha256 === copy.sha256) return recorded.sidecar.key;
    this.#bySha ??= readIndex(this.destination).then(
      (entries) =>
        new Map(
          entries.flatMap((e): [string, string][] => [
            [e.sha256, e.key],
            ...(e.sidecar ? [[e.sidecar.sha256, e.sidecar.key] as [string, string]] : []),
          ]),
        ),
      () => new Map<string, string>(), // an unreadable index offers nothing; other donors may
    );
    return (await this.#bySha).get(copy.sha256);
  }
}
