import {
  type Asset,
  type AssetKindFilter,
  type AssetResource,
  assetKind,
  type PickEvent,
  type PickSummary,
  pickFromSource,
  resourcesToPick,
  type Source,
} from '@lifeboat/core';
import { inject, injectable } from './di.js';
import { PickService, parseInclude } from './pick.js';

/** One listed photo as the browser keeps it: what it shows and what a download needs, without the metadata. */
export interface BrowsedAsset {
  asset: Asset;
  kind: AssetKindFilter;
  /** Bytes of the files a download brings (the original and its companions). */
  bytes: number;
}

/** A source opened for browsing: its listing so far, a preview of any photo, and a download of a selection. */
export interface SourceBrowsable {
  label: string;
  assets: BrowsedAsset[];
  /** The picture of a photo: the source's own small rendition, or a small JPEG/PNG original; undefined if none. */
  preview(asset: Asset, signal: AbortSignal): Promise<Buffer | undefined>;
  download(
    ids: ReadonlySet<string>,
    to: string,
    options: { signal: AbortSignal; onEvent: (e: PickEvent) => void },
  ): Promise<PickSummary>;
  close(): Promise<void>;
}

/** Originals this small and of these types are shown as they are when the source offers no rendition. */
const MAX_ORIGINAL_PREVIEW = 8_000_000;
const SHOWABLE = /\.(jpe?g|png)$/i;

/** Reads a resource whole (previews are small): the bytes, or undefined when it cannot be read. */
async function readAll(source: Source, asset: Asset, r: AssetResource, signal: AbortSignal): Promise<Buffer> {
  const handle = { assetId: asset.id, kind: r.kind, version: r.version, fileName: r.fileName, size: r.size };
  const body = await source.open(r.locator === undefined ? handle : { ...handle, locator: r.locator }, { signal });
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The picture to show for an asset: a rendition the source lists, else its original when small and showable. */
export function previewResource(asset: Asset): AssetResource | undefined {
  const rendition = asset.previews?.[0];
  if (rendition) return rendition;
  const original = asset.resources.find((r) => r.kind === 'original');
  return original && SHOWABLE.test(original.fileName) && original.size <= MAX_ORIGINAL_PREVIEW ? original : undefined;
}

/** Browsing a configured source (iCloud, a folder) to pick photos from it, as the restore screen browses a drive. */
@injectable()
export class SourceBrowseService {
  constructor(@inject(PickService) private readonly picker: PickService) {}

  /** Names of the configured sources. */
  names(): string[] {
    return this.picker.names();
  }

  /**
   * Opens a source and lists it, calling `onListed` as the listing grows (the screen shows it meanwhile). Each
   * asset is kept without its metadata, which browsing and downloading do not need.
   */
  async open(
    name: string,
    signal: AbortSignal,
    onListed: (assets: BrowsedAsset[], done: boolean) => void,
  ): Promise<SourceBrowsable> {
    const source = await this.picker.open(name, signal);
    const assets: BrowsedAsset[] = [];
    const include = parseInclude(undefined);
    let last = 0;
    try {
      for await (const asset of source.list({ signal })) {
        const kind = assetKind(asset);
        const bytes = resourcesToPick(asset, include).reduce((s, r) => s + r.size, 0);
        assets.push({ asset: { ...asset, metadata: {} }, kind, bytes });
        if (assets.length - last >= 200) {
          last = assets.length;
          onListed(assets, false);
        }
      }
    } catch (error) {
      await source.close?.().catch(() => {});
      throw error;
    }
    onListed(assets, true);
    return {
      label: name,
      assets,
      preview: async (asset, s) => {
        const r = previewResource(asset);
        return r ? readAll(source, asset, r, s) : undefined;
      },
      download: (ids, to, o) =>
        pickFromSource({
          source,
          sourceName: name,
          to,
          filter: { include },
          assets: assets.filter((a) => ids.has(a.asset.id)).map((a) => a.asset),
          signal: o.signal,
          onEvent: o.onEvent,
        }),
      close: async () => {
        await source.close?.().catch(() => {});
      },
    };
  }
}
