import type { Destination } from '@lifeboat/plugin-api';
import { toFailure } from '@lifeboat/plugin-api';
import type { Catalog } from '../catalog/index.js';
import { type IndexEntry, readIndex } from '../dest-index/index.js';
import { captureTime } from '../sidecar/capture-time.js';
import type { ExpectedCopy } from './types.js';

/** What a destination should hold, and what its own index says it holds. */
export interface Ledger {
  basis: 'catalog' | 'index';
  copies: ExpectedCopy[];
  /** Keys the catalog believes the destination's index lists. */
  indexedKeys: Set<string>;
  /** The destination's index by key, when it could be read. */
  index?: Map<string, IndexEntry>;
  indexError?: { code: string; message: string };
}

/**
 * The catalog when it knows this destination; otherwise the destination's own index (a new machine, a lost
 * state folder), which then must be readable: an index written by a newer Lifeboat is refused, not guessed at.
 */
export async function loadLedger(name: string, destination: Destination, catalog?: Catalog): Promise<Ledger> {
  const recorded = catalog ? [...catalog.copiesOn(name)] : [];
  if (recorded.length === 0) {
    const entries = await readIndex(destination);
    return {
      basis: 'index',
      copies: entries.map(fromEntry),
      indexedKeys: new Set(entries.map((e) => e.key)),
      index: new Map(entries.map((e) => [e.key, e])),
    };
  }
  const ledger: Ledger = {
    basis: 'catalog',
    copies: recorded.map((c) => ({
      key: c.key,
      size: c.size,
      sha256: c.sha256,
      source: c.source,
      assetId: c.assetId,
      kind: c.kind,
      version: c.version,
      verifiedAt: c.verifiedAt,
      ...(c.sidecar ? { sidecar: c.sidecar } : {}),
    })),
    indexedKeys: new Set(recorded.filter((c) => c.indexed).map((c) => c.key)),
  };
  try {
    ledger.index = new Map((await readIndex(destination)).map((e) => [e.key, e]));
  } catch (error) {
    // The copies can still be checked against the catalog; the damaged index is reported as a problem of its own.
    const { code, message } = toFailure(error);
    ledger.indexError = { code, message };
  }
  return ledger;
}

function fromEntry(e: IndexEntry): ExpectedCopy {
  return {
    key: e.key,
    size: e.size,
    sha256: e.sha256,
    source: e.source,
    assetId: e.assetId,
    kind: e.kind,
    version: e.version,
    ...(e.sidecar ? { sidecar: e.sidecar } : {}),
    ...timeOf(e.capturedAt, e.timeZone),
  };
}

function timeOf(capturedAt: string | undefined, timeZone: string | undefined): { modifiedAt?: string } {
  const at = captureTime(capturedAt, timeZone)?.instant;
  return at ? { modifiedAt: at.toISOString() } : {};
}

/** The copy's capture instant, from the catalog (one row, only for a copy being re-created). */
export function captureOf(
  catalog: Catalog | undefined,
  destination: string,
  copy: ExpectedCopy,
): { modifiedAt?: string } {
  if (copy.modifiedAt !== undefined) return { modifiedAt: copy.modifiedAt };
  const input = catalog?.sidecarFor(destination, copy.key)?.input;
  return input ? timeOf(input.capturedAt, input.timeZone) : {};
}

/** Each copy's sidecar as a file to check of its own, tied to its copy (`sidecarOf`). */
export function sidecarsOf(copies: readonly ExpectedCopy[]): ExpectedCopy[] {
  return copies.flatMap((c) => {
    if (!c.sidecar) return [];
    const { sidecar, verifiedAt: _, modifiedAt: __, ...identity } = c;
    return [{ ...identity, key: sidecar.key, size: sidecar.size, sha256: sidecar.sha256, sidecarOf: c.key }];
  });
}
