import { createHash } from 'node:crypto';
import type { Destination, Source } from '@lifeboat/plugin-api';
import { isRetryable } from '@lifeboat/plugin-api';
import type { Catalog, CatalogResource } from '../catalog/index.js';
import { captureTime } from '../sidecar/capture-time.js';
import type { SidecarWriter } from '../sidecar/sidecar-writer.js';
import { fanOut } from './fan-out.js';
import type { IndexFlusher } from './index-flusher.js';
import type { KeyPicker } from './key-picker.js';

export interface CopyTarget {
  name: string;
  destination: Destination;
  keys: KeyPicker;
  index: IndexFlusher;
  sidecars?: SidecarWriter;
}

export interface CopyOutcome {
  /** Destinations that now hold a verified copy, with the key. */
  copied: { name: string; key: string }[];
  /** Destinations that failed, with the error. */
  failed: { name: string; error: unknown }[];
  /** The source itself failed (nothing could be read), when it did. */
  sourceError?: unknown;
  size: number;
}

export interface CopyContext {
  catalog: Catalog;
  source: Source;
  signal: AbortSignal;
  now: () => string;
  onBytes: (n: number) => void;
  /**
   * Waits before the source is asked for the bytes: for a slot of the source (taken once this copy is otherwise
   * ready, so its server is never kept waiting on our own preparation) and past a Retry-After.
   */
  beforeRead?: () => Promise<void>;
  /** Waits until `n` more bytes may be read (a bandwidth limit). */
  pace?: (n: number) => Promise<void>;
  /** Called once when nothing more is read from the source (all read, or it failed to open): its slot may go. */
  sourceDone?: (openError?: unknown) => void;
}

/**
 * Copies one resource to every target that lacks it, reading the source once. Each destination's write either
 * commits a verified copy, recorded in the catalog, or leaves nothing visible.
 */
export async function copyResource(r: CatalogResource, given: CopyTarget[], ctx: CopyContext): Promise<CopyOutcome> {
  const relabeled = await relabelSameBytes(r, given, ctx);
  const all = given.filter((t) => !relabeled.has(t.name));
  if (all.length === 0) return { copied: [], failed: [], size: 0 };
  // Picking a key asks the destination (stat): one that fails here fails this copy, not the run.
  const picked = await Promise.allSettled(all.map((t) => t.keys.pick(r)));
  const unpicked = all.flatMap((t, i) => {
    const p = picked[i]!;
    return p.status === 'rejected' ? [{ name: t.name, error: p.reason as unknown }] : [];
  });
  const targets = all.filter((_, i) => picked[i]!.status === 'fulfilled');
  const keys = picked.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
  if (targets.length === 0) return { copied: [], failed: unpicked, size: 0 };
  ctx.catalog.transaction(() => {
    targets.forEach((t, i) => {
      if (!ctx.catalog.keyOwner(t.name, keys[i]!)) {
        ctx.catalog.addPending({ ...ref(r), destination: t.name, key: keys[i]!, startedAt: ctx.now() });
      }
    });
  });

  let sourceOpen = true;
  const sourceDone = (openError?: unknown) => {
    if (sourceOpen) ctx.sourceDone?.(openError);
    sourceOpen = false;
  };
  let body: AsyncIterable<Uint8Array>;
  try {
    await ctx.beforeRead?.();
    body = await ctx.source.open(
      { assetId: r.assetId, kind: r.kind, version: r.version, fileName: r.fileName, size: r.size, locator: r.locator },
      { signal: ctx.signal },
    );
  } catch (sourceError) {
    sourceDone(sourceError);
    for (const [i, t] of targets.entries()) forget(ctx.catalog, t, keys[i]!);
    return { copied: [], failed: unpicked, sourceError, size: 0 };
  }

  const counted = countBytes(body, ctx.onBytes, ctx.pace, sourceDone);
  const fan = fanOut(counted, targets.length, { size: r.size, ...(r.sha256 ? { sha256: r.sha256 } : {}) });
  // The copy carries the capture time as its file time (a destination that cannot keep one ignores it).
  const modifiedAt = captureTime(r.capturedAt, r.timeZone)?.instant.toISOString();
  const writes = targets.map((t, i) =>
    t.destination
      .write(keys[i]!, fan.streams[i]!, {
        size: r.size,
        bodySha256: fan.sha256,
        signal: ctx.signal,
        ...(modifiedAt ? { modifiedAt } : {}),
      })
      .finally(() => fan.release(i)),
  );
  const [digest, ...results] = await Promise.allSettled([fan.done, ...writes]);
  sourceDone(); // already, unless the writes gave up before the end of the body

  const outcome: CopyOutcome = { copied: [], failed: [...unpicked], size: r.size };
  const sidecars: Promise<void>[] = [];
  if (digest.status === 'rejected') outcome.sourceError = digest.reason;
  results.forEach((result, i) => {
    const t = targets[i]!;
    const key = keys[i]!;
    if (result.status === 'fulfilled' && digest.status === 'fulfilled') {
      const at = ctx.now();
      ctx.catalog.recordCopy({
        ...ref(r),
        destination: t.name,
        key,
        size: digest.value.size,
        sha256: digest.value.sha256,
        copiedAt: at,
        verifiedAt: at,
      });
      // The index entry counts once the sidecar is there too, so a flush lists both in one line.
      if (t.sidecars) sidecars.push(t.sidecars.afterCopy(key, () => t.index.noteCopy()));
      else t.index.noteCopy();
      outcome.copied.push({ name: t.name, key });
    } else {
      forget(ctx.catalog, t, key);
      // When the source failed, every write fails with it; report the cause once, as a source error.
      if (digest.status === 'fulfilled' && result.status === 'rejected')
        outcome.failed.push({ name: t.name, error: result.reason });
    }
  });
  await Promise.all(sidecars);
  return outcome;
}

/**
 * A copy made before the source remembered the file's sha256 (by an older Lifeboat): a new version of the same
 * size may be the same bytes with only a new time (`touch`, a sync tool). The source is hashed once (a whole read,
 * so a source that learns sha256s while read learns this one); where the bytes are those of a copy the destination
 * holds, that copy takes the new version and nothing is copied. Returns the destinations so served.
 */
async function relabelSameBytes(r: CatalogResource, targets: CopyTarget[], ctx: CopyContext): Promise<Set<string>> {
  const done = new Set<string>();
  const candidates = targets
    .map((t) => ({ t, copies: ctx.catalog.sameSizeCopies(t.name, r) }))
    .filter((c) => c.copies.length > 0);
  if (candidates.length === 0) return done;
  let sha256 = r.sha256;
  if (!sha256) {
    try {
      sha256 = await hashSource(r, ctx);
    } catch {
      return done; // the copy that follows meets the source's trouble again and reports it
    }
  }
  ctx.catalog.transaction(() => {
    for (const { t, copies } of candidates) {
      const same = copies.find((c) => c.sha256 === sha256);
      if (!same) continue;
      ctx.catalog.relabelCopy(same, r.version);
      t.index.noteCopy();
      done.add(t.name);
    }
  });
  return done;
}

async function hashSource(r: CatalogResource, ctx: CopyContext): Promise<string | undefined> {
  await ctx.beforeRead?.();
  const handle = { assetId: r.assetId, kind: r.kind, version: r.version, fileName: r.fileName, size: r.size };
  const body = await ctx.source.open({ ...handle, locator: r.locator }, { signal: ctx.signal });
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    if (ctx.pace) await ctx.pace(chunk.length);
    hash.update(chunk);
    size += chunk.length;
  }
  return size === r.size ? hash.digest('hex') : undefined;
}

/** Whether trying again may help: every failure retryable. */
export function worthRetrying(o: CopyOutcome): boolean {
  const errors = [...(o.sourceError ? [o.sourceError] : []), ...o.failed.map((f) => f.error)];
  return errors.length > 0 && errors.every(isRetryable);
}

function ref(r: CatalogResource) {
  return { source: r.source, assetId: r.assetId, kind: r.kind, version: r.version };
}

// The write failed, so nothing is visible under the key: release it for this and later runs.
function forget(catalog: Catalog, t: CopyTarget, key: string) {
  catalog.removePending(t.name, key);
  t.keys.release(key);
}

async function* countBytes(
  body: AsyncIterable<Uint8Array>,
  onBytes: (n: number) => void,
  pace: ((n: number) => Promise<void>) | undefined,
  done: () => void,
): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body) {
      // Waiting here, before the next read, slows the source itself (TCP backpressure), not just what is passed on.
      if (pace) await pace(chunk.length);
      onBytes(chunk.length);
      yield chunk;
    }
  } finally {
    // The last byte is in: the source's server is done with this file while the destinations still commit it.
    done();
  }
}
