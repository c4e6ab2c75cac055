import { resolve } from 'node:path';
import type { Asset, AssetResource, Source } from '@lifeboat/plugin-api';
import { describeError, ErrorCode, LifeboatError, toFailure } from '@lifeboat/plugin-api';
import pLimit from 'p-limit';
import { alternativeKey, renderKey } from '../layout/index.js';
import { setCaptureTime } from '../restore/capture-time.js';
import { targetPath } from '../restore/restore-file.js';
import { sidecarKey } from '../sidecar/keys.js';
import type { SidecarMode } from '../sidecar/setting.js';
import { makeDirs } from '../util/make-dirs.js';
import { assetMatches, type PickFilter, resourcesToPick } from './filter.js';
import { pickFile } from './pick-file.js';
import { pickSidecarText, placeSidecar } from './pick-sidecar.js';

/** Where picked files go under the target folder: the same year/month layout as a backup's default. */
export const PICK_LAYOUT = '{yyyy}/{mm}/{name}';

export interface PickItem {
  key: string;
  assetId: string;
  kind: string;
  size: number;
  capturedAt?: string;
}

export interface PickFailure {
  key: string;
  code: string;
  message: string;
}

export interface PickSummary {
  ok: boolean;
  dryRun: boolean;
  /** Assets the source listed, and those the filters kept. */
  listed: number;
  matchedAssets: number;
  /** Files of the matched assets (and their total size). */
  matched: number;
  matchedBytes: number;
  filesPicked: number;
  /** Bytes downloaded by this pick (a resumed file counts only its missing part). */
  bytesDownloaded: number;
  /** Files already in the target folder with the right size (and sha256 when the source knows it). */
  alreadyPresent: number;
  /** Files that continued a partial download an earlier pick left. */
  resumed: number;
  /** Whether each file gets an XMP sidecar beside it (`<file>.xmp`), as a backup's copies do. */
  sidecars: SidecarMode;
  /** Sidecars of the matched files (what a dry run would write); never counted among the files above. */
  sidecarsMatched: number;
  sidecarsWritten: number;
  /** Sidecars already beside their files: left as they were, never overwritten (whatever they hold). */
  sidecarsPresent: number;
  failures: PickFailure[];
  /** Each file, the sha256 of what was placed (absent in a dry run or when it failed) and its sidecar's key. */
  files: (PickItem & { sha256?: string; sidecar?: string })[];
}

export type PickEvent =
  | { type: 'listed'; assets: number; done: boolean }
  | { type: 'matched'; item: PickItem }
  | { type: 'bytes'; bytes: number }
  | { type: 'picked'; item: PickItem; result: 'picked' | 'present' }
  | { type: 'pick-failed'; failure: PickFailure };

export interface PickOptions {
  source: Source;
  /** The source's configured name (`{source}` in the layout). */
  sourceName: string;
  to: string;
  filter: PickFilter;
  /** An XMP sidecar beside each picked file (default), or none: the same words as a destination's setting. */
  sidecars?: SidecarMode;
  /** List what would come and its size; download nothing, create nothing. */
  dryRun?: boolean;
  /** Files downloading at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  onEvent?: (e: PickEvent) => void;
  /** Only these assets (the TUI's selection); combined with the filter. */
  assetIds?: ReadonlySet<string>;
  /** Assets already listed (the TUI's browser holds them): picked from these without listing the source again. */
  assets?: Iterable<Asset> | AsyncIterable<Asset>;
}

/**
 * Picks photos straight from a source (no plan, no destination): streams the source's listing, keeps the assets
 * the filters match, and brings each wanted file into `to` as it is listed, so the first file arrives while the
 * library is still being listed and only the files in flight are held. Every file's size (and sha256 when the
 * source knows it) is checked; nothing is overwritten; a dropped download resumes from its partial file.
 */
export async function pickFromSource(options: PickOptions): Promise<PickSummary> {
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const to = resolve(options.to);
  const dryRun = options.dryRun === true;
  const sidecars = options.sidecars ?? 'xmp';
  if (!dryRun) await prepareTarget(to);
  const summary: PickSummary = {
    ok: true,
    dryRun,
    listed: 0,
    matchedAssets: 0,
    matched: 0,
    matchedBytes: 0,
    filesPicked: 0,
    bytesDownloaded: 0,
    alreadyPresent: 0,
    resumed: 0,
    sidecars,
    sidecarsMatched: 0,
    sidecarsWritten: 0,
    sidecarsPresent: 0,
    failures: [],
    files: [],
  };
  const keys = new KeyAllocator(sidecars === 'xmp');
  const limit = pLimit(options.concurrency ?? 4);
  const inFlight = new Set<Promise<void>>();
  const fail = (key: string, error: unknown) => {
    if (signal.aborted) return;
    const failure = { key, code: toFailure(error).code, message: describeError(error) };
    summary.failures.push(failure);
    emit({ type: 'pick-failed', failure });
  };
  const bring = async (asset: Asset, resource: AssetResource, item: PickItem, file: PickSummary['files'][number]) => {
    let result: 'picked' | 'present';
    try {
      const picked = await pickFile(
        { source: options.source, assetId: asset.id, resource, path: targetPath(to, item.key) },
        signal,
        (n) => {
          summary.bytesDownloaded += n;
          emit({ type: 'bytes', bytes: n });
        },
      );
      file.sha256 = picked.sha256;
      result = picked.result;
      if (picked.result === 'present') summary.alreadyPresent++;
      else {
        summary.filesPicked++;
        if (picked.resumedFrom > 0) summary.resumed++;
        await setCaptureTime(targetPath(to, item.key), asset.capturedAt, asset.timeZone).catch(() => {});
      }
    } catch (error) {
      fail(item.key, error);
      return;
    }
    // The sidecar follows its file (also one already there: an earlier pick may have had none, or stopped).
    if (file.sidecar) {
      try {
        const text = pickSidecarText(asset, resource, options.sourceName);
        const placed = await placeSidecar(targetPath(to, file.sidecar), text);
        if (placed === 'written') summary.sidecarsWritten++;
        else summary.sidecarsPresent++;
      } catch (error) {
        fail(file.sidecar, error);
      }
    }
    emit({ type: 'picked', item, result });
  };
  for await (const asset of options.assets ?? options.source.list({ signal })) {
    summary.listed++;
    if (summary.listed % 100 === 0) emit({ type: 'listed', assets: summary.listed, done: false });
    if (options.assetIds && !options.assetIds.has(asset.id)) continue;
    if (!assetMatches(asset, options.filter)) continue;
    summary.matchedAssets++;
    for (const resource of resourcesToPick(asset, options.filter.include)) {
      const key = keys.take(
        renderKey(PICK_LAYOUT, {
          fileName: resource.fileName,
          ...(asset.capturedAt ? { capturedAt: asset.capturedAt } : {}),
          albums: asset.albums,
          source: options.sourceName,
          kind: resource.kind,
        }),
      );
      const item: PickItem = {
        key,
        assetId: asset.id,
        kind: resource.kind,
        size: resource.size,
        ...(asset.capturedAt ? { capturedAt: asset.capturedAt } : {}),
      };
      summary.matched++;
      summary.matchedBytes += resource.size;
      const file: PickSummary['files'][number] = { ...item };
      if (sidecars === 'xmp') {
        file.sidecar = sidecarKey(key);
        summary.sidecarsMatched++;
      }
      summary.files.push(file);
      emit({ type: 'matched', item });
      if (dryRun) continue;
      const job = limit(() => bring(asset, resource, item, file));
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
      // The listing waits while enough files are queued: memory stays bounded by the files in flight.
      while (inFlight.size >= (options.concurrency ?? 4) * 4) await Promise.race(inFlight);
    }
    if (signal.aborted) break;
  }
  emit({ type: 'listed', assets: summary.listed, done: true });
  await Promise.all(inFlight);
  summary.ok = summary.failures.length === 0 && !signal.aborted;
  return summary;
}

/**
 * Keys of this pick: a second file of the same name in the same folder gets `IMG_0001 (2).JPG`, as on a backup.
 * With sidecars, a file's sidecar name is taken with it, so a source file named like one never meets it.
 */
class KeyAllocator {
  readonly #taken = new Set<string>();
  constructor(private readonly withSidecars: boolean) {}
  take(key: string): string {
    const free = (k: string) =>
      !this.#taken.has(k.toLowerCase()) && !(this.withSidecars && this.#taken.has(sidecarKey(k).toLowerCase()));
    let out = key;
    for (let n = 2; !free(out); n++) out = alternativeKey(key, n);
    this.#taken.add(out.toLowerCase());
    if (this.withSidecars) this.#taken.add(sidecarKey(out).toLowerCase());
    return out;
  }
}

async function prepareTarget(to: string): Promise<void> {
  try {
    await makeDirs(to);
  } catch (error) {
    throw new LifeboatError(ErrorCode.RestoreTarget, `Cannot create the folder ${to}: ${describeError(error)}`, {
      hint: 'Choose a folder you can write to (it is created when missing)',
    });
  }
}
