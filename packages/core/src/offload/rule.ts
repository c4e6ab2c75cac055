import type { DestinationDescription } from '@lifeboat/plugin-api';

/**
 * Why an asset stays in the source. Codes, not sentences: the CLI counts them and `--json` lists them per asset.
 * - `too-recent`: captured (or added) after the `--older-than` cut-off.
 * - `favorite`: a favourite, with `--keep-favorites`.
 * - `kept-album`: in an album named by `--keep-album`.
 * - `in-source-trash`: already in the source's trash (nothing to free).
 * - `resource-without-copy`: a resource (original, Live video, RAW, edit...) has no copy of its current version.
 * - `not-321`: the copies, without the source, do not satisfy 3-2-1 (count, two media, one offsite).
 * - `never-verified`: they would, but some copy was never read back after it was written (`lifeboat verify` reads
 *   it back): the bytes a write sent are not proof of the bytes the medium kept.
 * - `verified-too-long-ago`: they would, but some were last read back and matched before `--verified-within`.
 * - `destination-unreachable`: they would, but a destination holding them cannot be reached now.
 */
export type KeepReason =
  | 'too-recent'
  | 'favorite'
  | 'kept-album'
  | 'in-source-trash'
  | 'resource-without-copy'
  | 'not-321'
  | 'never-verified'
  | 'verified-too-long-ago'
  | 'destination-unreachable';

export const KEEP_REASONS: readonly KeepReason[] = [
  'too-recent',
  'favorite',
  'kept-album',
  'in-source-trash',
  'resource-without-copy',
  'not-321',
  'never-verified',
  'verified-too-long-ago',
  'destination-unreachable',
];

/** One current resource of the asset (the version the source lists now). */
export interface OffloadResource {
  kind: string;
  version: string;
  size: number;
  /** When the source knows it: a copy with other bytes does not count. */
  sha256?: string;
}

/** A recorded copy of one resource version on one destination. */
export interface OffloadCopy {
  destination: string;
  kind: string;
  version: string;
  key: string;
  size: number;
  sha256: string;
  /** When it was written; a copy whose `verifiedAt` is no later was never read back since. */
  copiedAt: string;
  verifiedAt: string;
}

export interface OffloadAsset {
  assetId: string;
  fileName: string;
  capturedAt?: string;
  addedAt?: string;
  favorite: boolean;
  albums: readonly string[];
  /** Already in the source's trash (iCloud's Recently Deleted). */
  inSourceTrash: boolean;
  resources: readonly OffloadResource[];
  copies: readonly OffloadCopy[];
}

export interface OffloadDestination {
  name: string;
  description: Pick<DestinationDescription, 'medium' | 'offsite'>;
  /** False when the destination cannot be reached now: its copies cannot vouch for a move. */
  reachable: boolean;
}

export interface OffloadRule {
  now: Date;
  /** Only assets captured (else added) before now minus this; undefined: no age limit. */
  olderThanMs?: number;
  keepFavorites: boolean;
  keepAlbums: readonly string[];
  /** Every vouching copy must have been read back and matched within this. */
  verifiedWithinMs: number;
  /** Copies needed outside the source: 3 by default; may be lowered to 2, never further. */
  minCopies: number;
}

/** The floor for `--min-copies`: below two copies a single failure loses the photo. */
export const MIN_COPIES_FLOOR = 2;
const DEFAULT_COPIES = 3;
const NEED_MEDIA = 2;
const NEED_OFFSITE = 1;

export interface OffloadDecision {
  assetId: string;
  fileName: string;
  move: boolean;
  /** Empty when `move`. */
  reasons: KeepReason[];
  /** Bytes the source would free (sum of the current resources). */
  bytes: number;
  /** When `move`: the copies that vouch for each resource (fresh, reachable, matching). */
  vouchers: OffloadCopy[];
}

/** Refuses a rule that would move photos on less than the floor: said plainly, before anything is read. */
export function checkMinCopies(minCopies: number | undefined): number {
  const value = minCopies ?? DEFAULT_COPIES;
  if (!Number.isInteger(value) || value < MIN_COPIES_FLOOR) {
    throw new RangeError(
      `--min-copies must be a whole number of at least ${MIN_COPIES_FLOOR} (got ${String(minCopies)}): ` +
        'with fewer copies a single failed drive or bucket would lose the photo.',
    );
  }
  return value;
}

/**
 * Whether one asset may leave its source. Pure: reads only its arguments. The asset moves only when no keep
 * filter applies and every resource has copies that, without the source, satisfy 3-2-1 (`minCopies` copies on
 * distinct destinations, on at least two media, at least one offsite), each verified within the window, on a
 * reachable destination, of the resource's current version and bytes.
 */
export function decideOffload(
  asset: OffloadAsset,
  destinations: readonly OffloadDestination[],
  rule: OffloadRule,
): OffloadDecision {
  const minCopies = checkMinCopies(rule.minCopies);
  const reasons: KeepReason[] = [];
  const when = asset.capturedAt ?? asset.addedAt;
  if (rule.olderThanMs !== undefined) {
    const at = when === undefined ? Number.NaN : Date.parse(when);
    // An undated asset cannot be shown to be old enough: kept.
    if (!(at <= rule.now.getTime() - rule.olderThanMs)) reasons.push('too-recent');
  }
  if (rule.keepFavorites && asset.favorite) reasons.push('favorite');
  if (asset.albums.some((a) => rule.keepAlbums.includes(a))) reasons.push('kept-album');
  if (asset.inSourceTrash) reasons.push('in-source-trash');

  const byName = new Map(destinations.map((d) => [d.name, d]));
  const freshAfter = rule.now.getTime() - rule.verifiedWithinMs;
  const vouchers: OffloadCopy[] = [];
  const copyReasons = new Set<KeepReason>();
  if (asset.resources.length === 0) copyReasons.add('resource-without-copy');
  for (const resource of asset.resources) {
    const matching = asset.copies.filter(
      (c) =>
        c.kind === resource.kind &&
        c.version === resource.version &&
        c.size === resource.size &&
        (resource.sha256 === undefined || c.sha256 === resource.sha256) &&
        byName.has(c.destination),
    );
    const reachable = matching.filter((c) => byName.get(c.destination)!.reachable);
    const readBack = reachable.filter((c) => Date.parse(c.verifiedAt) > Date.parse(c.copiedAt));
    const good = readBack.filter((c) => Date.parse(c.verifiedAt) >= freshAfter);
    if (satisfies(good, byName, minCopies)) {
      vouchers.push(...good);
    } else if (matching.length === 0) {
      copyReasons.add('resource-without-copy');
    } else if (!satisfies(matching, byName, minCopies)) {
      copyReasons.add('not-321');
    } else if (!satisfies(reachable, byName, minCopies)) {
      copyReasons.add('destination-unreachable');
    } else if (!satisfies(readBack, byName, minCopies)) {
      copyReasons.add('never-verified');
    } else {
      copyReasons.add('verified-too-long-ago');
    }
  }
  reasons.push(...KEEP_REASONS.filter((r) => copyReasons.has(r)));
  const move = reasons.length === 0;
  return {
    assetId: asset.assetId,
    fileName: asset.fileName,
    move,
    reasons,
    bytes: asset.resources.reduce((sum, r) => sum + r.size, 0),
    vouchers: move ? vouchers : [],
  };
}

function satisfies(
  copies: readonly OffloadCopy[],
  destinations: ReadonlyMap<string, OffloadDestination>,
  minCopies: number,
): boolean {
  // One destination is one copy, however many files of the version it holds.
  const names = new Set(copies.map((c) => c.destination));
  const media = new Set([...names].map((n) => destinations.get(n)!.description.medium));
  const offsite = [...names].filter((n) => destinations.get(n)!.description.offsite).length;
  return names.size >= minCopies && media.size >= NEED_MEDIA && offsite >= NEED_OFFSITE;
}

export interface OffloadPlan {
  move: OffloadDecision[];
  keep: OffloadDecision[];
  /** Bytes the moved assets would free. */
  bytes: number;
  /** Kept assets per reason (an asset kept for two reasons counts under both). */
  reasons: Record<KeepReason, number>;
}

/** Decides every asset, then caps the moves at `max` (the rest are neither moved nor counted as kept). */
export function planOffload(
  assets: Iterable<OffloadAsset>,
  destinations: readonly OffloadDestination[],
  rule: OffloadRule,
  max = Number.POSITIVE_INFINITY,
): OffloadPlan {
  const plan: OffloadPlan = {
    move: [],
    keep: [],
    bytes: 0,
    reasons: Object.fromEntries(KEEP_REASONS.map((r) => [r, 0])) as Record<KeepReason, number>,
  };
  for (const asset of assets) {
    const decision = decideOffload(asset, destinations, rule);
    if (decision.move) {
      if (plan.move.length >= max) continue;
      plan.move.push(decision);
      plan.bytes += decision.bytes;
    } else {
      plan.keep.push(decision);
      for (const reason of decision.reasons) plan.reasons[reason]++;
    }
  }
  return plan;
}
