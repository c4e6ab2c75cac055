import type { ExpectedCopy, VerifySelection } from './types.js';

const DAY_MS = 86_400_000;

/** FNV-1a over the key's UTF-16 code units: a stable, cheap tie-breaker that spreads keys evenly. */
export function stableHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** How many of `total` copies a `percent` sample reads: rounded up, so a small sample of a small set is not empty. */
export function sampleSize(total: number, percent: number): number {
  return Math.min(total, Math.ceil((total * percent) / 100));
}

/**
 * The keys a verification reads back in full. Deterministic, and successive scrubs cover everything:
 * - with the catalog, the least recently verified copies first (verifying one records its time, so it goes to
 *   the back of the line), ties broken by a stable hash of the key so the order does not follow the layout;
 * - with only the destination's index (no verification times anywhere), a window over the keys in stable-hash
 *   order that moves on by one sample each day, so `100 / percent` daily scrubs read every copy.
 */
export function pickSample(copies: readonly ExpectedCopy[], selection: VerifySelection, now: Date): Set<string> {
  if ('all' in selection) return new Set(copies.map((c) => c.key));
  const count = sampleSize(copies.length, selection.samplePercent);
  if (count === 0) return new Set();
  const keyed = copies.map((c) => ({ key: c.key, at: c.verifiedAt, hash: stableHash(c.key) }));
  const byHash = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  if (keyed.some((c) => c.at !== undefined)) {
    keyed.sort((a, b) => {
      const at = a.at ?? '';
      const bt = b.at ?? '';
      return at < bt ? -1 : at > bt ? 1 : byHash(a, b);
    });
    return new Set(keyed.slice(0, count).map((c) => c.key));
  }
  keyed.sort(byHash);
  const start = (Math.floor(now.getTime() / DAY_MS) * count) % keyed.length;
  const picked = new Set<string>();
  for (let i = 0; i < count; i++) picked.add(keyed[(start + i) % keyed.length]!.key);
  return picked;
}
