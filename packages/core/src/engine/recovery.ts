import { createHash } from 'node:crypto';
import type { Destination } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { readIndex } from '../dest-index/index.js';

/**
 * Resolves writes a killed run left pending. A destination only makes an object visible once the engine has
 * checked its size (and the stream ended cleanly), so an object present under a pending key is a complete
 * copy: it is read back to learn its sha256 and recorded. A missing one frees the key. At most the files that
 * were in flight are read again.
 */
export async function resolvePending(catalog: Catalog, name: string, destination: Destination, now: string) {
  let recorded = 0;
  for (const p of catalog.pendingFor(name)) {
    const info = await destination.stat(p.key);
    if (!info) {
      catalog.removePending(name, p.key);
      continue;
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await destination.read(p.key)) {
      hash.update(chunk);
      size += chunk.length;
    }
    catalog.recordCopy({
      destination: name,
      source: p.source,
      assetId: p.assetId,
      kind: p.kind,
      version: p.version,
      key: p.key,
      size,
      sha256: hash.digest('hex'),
      copiedAt: now,
      verifiedAt: now,
    });
    recorded++;
  }
  return recorded;
}

/**
 * A destination that already holds a Lifeboat backup but is new to this catalog (a fresh state folder, a
 * reinstalled machine): its own index tells what it holds, so nothing is copied twice.
 */
export async function adoptDestinationIndex(catalog: Catalog, name: string, destination: Destination): Promise<number> {
  if (holdsAnyCopy(catalog, name)) return 0;
  const entries = await readIndex(destination);
  catalog.transaction(() => {
    for (const e of entries) {
      catalog.recordCopy({
        destination: name,
        source: e.source,
        assetId: e.assetId,
        kind: e.kind,
        version: e.version,
        key: e.key,
        size: e.size,
        sha256: e.sha256,
        copiedAt: e.copiedAt,
        verifiedAt: e.copiedAt,
        indexed: true,
      });
      // Its sidecar too, so one with the same bytes is not written again (the stamp is unknown: '' is never current).
      if (e.sidecar) catalog.recordSidecar(name, e.key, { size: e.sidecar.size, sha256: e.sidecar.sha256, meta: '' });
    }
    catalog.markIndexed(
      name,
      entries.filter((e) => e.sidecar).map((e) => e.key),
    );
  });
  return entries.length;
}

/** Whether the catalog records any copy on `destination`: one row read, where counting them all scans every copy. */
export function holdsAnyCopy(catalog: Catalog, destination: string): boolean {
  for (const _ of catalog.copiesOn(destination)) return true;
  return false;
}
