import type { Asset, ResourceHandle } from '../api/asset.js';
import type { Source, SourceOpenOptions, SourceTrashOptions, TrashOutcome, TrashRequest } from '../api/source.js';
import { NotFoundError } from '../errors/index.js';

/** A Source over in-memory assets: add, change or remove files between runs in engine tests. */
export class MemorySource implements Source {
  readonly files = new Map<string, { asset: Asset; data: Buffer }>();

  put(id: string, data: Buffer, fields: Partial<Asset> = {}): void {
    const fileName = fields.fileName ?? id.split('/').pop()!;
    const version = `${data.length}-${this.files.get(id)?.asset.resources[0]?.version.split('-')[1] === '1' ? 2 : 1}`;
    this.files.set(id, {
      data,
      asset: {
        id,
        fileName,
        albums: [],
        favorite: false,
        hidden: false,
        metadata: {},
        ...fields,
        resources: [{ kind: 'original', fileName, size: data.length, version, locator: id }],
      },
    });
  }

  /** Every moveToTrash call, as the asset ids asked for: tests prove exactly what was sent. */
  readonly trashCalls: string[][] = [];

  /** Changes an asset's record revision: a move asked with the revision listed before is then a conflict. */
  touch(id: string): void {
    const asset = this.files.get(id)!.asset;
    asset.metadata = { ...asset.metadata, revision: Number(asset.metadata.revision ?? 0) + 1 };
  }

  /** Moves assets to this source's trash (listed as deleted, purged in 30 days); stops at the first refusal. */
  async moveToTrash(requests: readonly TrashRequest[], _options: SourceTrashOptions): Promise<TrashOutcome[]> {
    this.trashCalls.push(requests.map((r) => r.assetId));
    const outcomes: TrashOutcome[] = [];
    for (const request of requests) {
      const asset = this.files.get(request.assetId)?.asset;
      if (outcomes.some((o) => o.status !== 'moved'))
        outcomes.push({ assetId: request.assetId, status: 'not-attempted' });
      else if (asset === undefined) outcomes.push({ assetId: request.assetId, status: 'not-found' });
      else if ((asset.metadata.revision ?? 0) !== (request.metadata.revision ?? 0)) {
        outcomes.push({ assetId: request.assetId, status: 'conflict', message: 'changed since listed' });
      } else {
        const at = new Date();
        asset.deleted = { at: at.toISOString(), purgeAt: new Date(at.getTime() + 30 * 86_400_000).toISOString() };
        outcomes.push({ assetId: request.assetId, status: 'moved' });
      }
    }
    return outcomes;
  }

  async *list(): AsyncIterable<Asset> {
    for (const { asset } of this.files.values()) yield asset;
  }

  async open(handle: ResourceHandle, options: SourceOpenOptions): Promise<AsyncIterable<Uint8Array>> {
    const file = this.files.get(handle.locator ?? handle.assetId);
    if (!file) throw new NotFoundError(`${handle.assetId} is gone`);
    const data = file.data.subarray(options.offset ?? 0);
    return (async function* () {
      // Several chunks, so fan-out and backpressure are exercised.
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    })();
  }
}
