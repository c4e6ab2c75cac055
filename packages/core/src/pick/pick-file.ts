import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AssetResource, ResourceHandle, Source } from '@lifeboat/plugin-api';
import { AlreadyExistsError, IntegrityError, type RetryPolicy, withRetry } from '@lifeboat/plugin-api';
import { makeDirs } from '../util/make-dirs.js';

/** The end of a pick's partial files: kept when a download stops, so the next pick resumes them. */
export const PICK_PARTIAL_SUFFIX = '.lifeboat-partial';

/** A dropped download is resumed from what is on disk; a few quick tries, then the next pick resumes it. */
export const PICK_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 };

export interface PickTarget {
  source: Source;
  assetId: string;
  resource: AssetResource;
  /** Absolute path of the file to create. */
  path: string;
}

export interface PickedFile {
  result: 'picked' | 'present';
  sha256: string;
  /** Bytes downloaded now (less than the size when a partial file was resumed; 0 when present). */
  downloaded: number;
  /** Bytes a partial file from an earlier pick already held. */
  resumedFrom: number;
}

/**
 * The partial file of one resource version, beside its target: named after the source's version, so a pick that
 * stopped resumes exactly the same bytes, and a new version starts afresh.
 */
export function partialPath(target: PickTarget): string {
  const tag = createHash('sha256')
    .update(`${target.assetId}\0${target.resource.kind}\0${target.resource.version}\0${target.resource.size}`)
    .digest('hex')
    .slice(0, 12);
  return join(dirname(target.path), `.${basename(target.path)}.${tag}${PICK_PARTIAL_SUFFIX}`);
}

async function hashFile(path: string, hash = createHash('sha256')) {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash;
}

/**
 * Brings one file from a source into place: appends to its partial file from where it stopped (the source is
 * asked for the rest only: Range), checks the size and, when the source knows it, the sha256, fsyncs, then links
 * it to its name (never over an existing file). A file already there with the same content counts as present.
 */
export async function pickFile(
  target: PickTarget,
  signal: AbortSignal,
  onBytes: (n: number) => void = () => {},
): Promise<PickedFile> {
  const { resource } = target;
  const existing = await stat(target.path).catch(() => undefined);
  if (existing) {
    const sha256 = existing.size === resource.size ? (await hashFile(target.path)).digest('hex') : '';
    if (sha256 && (!resource.sha256 || resource.sha256 === sha256)) {
      return { result: 'present', sha256, downloaded: 0, resumedFrom: 0 };
    }
    throw new AlreadyExistsError(`${target.path} already exists with different content; it was left as it is`, {
      hint: 'Pick into an empty folder, or move that file away first',
    });
  }
  await makeDirs(dirname(target.path));
  const partial = partialPath(target);
  let have = (await stat(partial).catch(() => undefined))?.size ?? 0;
  if (have > resource.size) {
    await rm(partial, { force: true });
    have = 0;
  }
  const resumedFrom = have;
  const hash = have > 0 ? await hashFile(partial) : createHash('sha256');
  let downloaded = 0;
  const handle = await open(partial, 'a');
  try {
    await withRetry(
      async () => {
        if (have >= resource.size) return;
        const body = await target.source.open(handleOf(target), { signal, offset: have });
        for await (const chunk of body) {
          if (have + chunk.length > resource.size) break; // caught by the size check below
          await handle.write(chunk);
          hash.update(chunk);
          have += chunk.length;
          downloaded += chunk.length;
          onBytes(chunk.length);
        }
      },
      PICK_RETRY,
      { signal },
    );
    const sha256 = hash.digest('hex');
    if (have !== resource.size || (resource.sha256 && resource.sha256 !== sha256)) {
      await handle.close();
      await rm(partial, { force: true }); // wrong bytes are not worth resuming
      throw new IntegrityError(
        `${resource.fileName}: the source sent ${have} bytes (sha256 ${sha256.slice(0, 12)}…), expected ${resource.size}${resource.sha256 ? ` (sha256 ${resource.sha256.slice(0, 12)}…)` : ''}`,
        { hint: 'Pick it again; if it keeps failing the copy at the source is damaged' },
      );
    }
    await handle.sync();
    await handle.close();
    await link(partial, target.path); // fails rather than overwrite a file that appeared meanwhile
    await rm(partial, { force: true });
    return { result: 'picked', sha256, downloaded, resumedFrom };
  } finally {
    await handle.close().catch(() => {});
  }
}

function handleOf(target: PickTarget): ResourceHandle {
  const r = target.resource;
  return {
    assetId: target.assetId,
    kind: r.kind,
    version: r.version,
    fileName: r.fileName,
    size: r.size,
    ...(r.locator === undefined ? {} : { locator: r.locator }),
  };
}
