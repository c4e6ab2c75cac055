import type { Asset, ResourceHandle } from '../api/asset.js';
import type { Source, SourceOpenOptions } from '../api/source.js';
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
