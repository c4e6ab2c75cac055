import { describe, expect, it } from 'vitest';
import {
  checkMinCopies,
  decideOffload,
  type OffloadAsset,
  type OffloadCopy,
  type OffloadDestination,
  type OffloadRule,
  planOffload,
} from './rule.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const FRESH = '2026-05-30T00:00:00Z';
const STALE = '2026-01-01T00:00:00Z';
const COPIED = '2025-12-01T00:00:00Z';

const dest = (name: string, medium: string, offsite = false, reachable = true): OffloadDestination => ({
  name,
  description: { medium, offsite },
  reachable,
});
// Two drives (two media) at home and one offsite bucket.
const DESTS = [dest('disk-a', 'disk:a'), dest('disk-b', 'disk:b'), dest('s3', 'cloud:s3', true)];

const rule = (over: Partial<OffloadRule> = {}): OffloadRule => ({
  now: NOW,
  olderThanMs: 365 * DAY,
  keepFavorites: false,
  keepAlbums: [],
  verifiedWithinMs: 7 * DAY,
  minCopies: 3,
  ...over,
});

const copy = (destination: string, kind = 'original', over: Partial<OffloadCopy> = {}): OffloadCopy => ({
  destination,
  kind,
  version: `v-${kind}`,
  key: `${destination}/${kind}`,
  size: 10,
  sha256: `sha-${kind}`,
  copiedAt: COPIED,
  verifiedAt: FRESH,
  ...over,
});

const everywhere = (kind = 'original') => ['disk-a', 'disk-b', 's3'].map((d) => copy(d, kind));

const asset = (over: Partial<OffloadAsset> = {}): OffloadAsset => ({
  assetId: 'A',
  fileName: 'IMG_1.HEIC',
  capturedAt: '2020-01-01T10:00:00',
  favorite: false,
  albums: [],
  inSourceTrash: false,
  resources: [{ kind: 'original', version: 'v-original', size: 10, sha256: 'sha-original' }],
  copies: everywhere(),
  ...over,
});

describe('decideOffload', () => {
  it('moves an old asset whose every resource has three fresh copies on two media with one offsite', () => {
    const d = decideOffload(asset(), DESTS, rule());
    expect(d).toMatchObject({ move: true, reasons: [], bytes: 10 });
    expect(d.vouchers.map((c) => c.destination).sort()).toEqual(['disk-a', 'disk-b', 's3']);
  });

  const LIVE = { kind: 'live-video', version: 'v-live-video', size: 10, sha256: 'sha-live-video' };
  const kept: [string, Partial<OffloadAsset>, Partial<OffloadRule>, DestinationsOrDefault, string[]][] = [
    ['too recent', { capturedAt: '2026-05-01T10:00:00' }, {}, undefined, ['too-recent']],
    ['undated with an age limit', { capturedAt: undefined }, {}, undefined, ['too-recent']],
    ['favourite with --keep-favorites', { favorite: true }, { keepFavorites: true }, undefined, ['favorite']],
    ['in a kept album', { albums: ['Kids'] }, { keepAlbums: ['Kids'] }, undefined, ['kept-album']],
    ['already in Recently Deleted', { inSourceTrash: true }, {}, undefined, ['in-source-trash']],
    ['never copied', { copies: [] }, {}, undefined, ['resource-without-copy']],
    [
      'Live video without an offsite copy',
      {
        resources: [asset().resources[0]!, LIVE],
        copies: [...everywhere(), copy('disk-a', 'live-video'), copy('disk-b', 'live-video')],
      },
      {},
      undefined,
      ['not-321'],
    ],
    [
      'with every copy on one medium',
      {},
      {},
      [dest('disk-a', 'disk:a'), dest('disk-b', 'disk:a'), dest('s3', 'disk:a', true)],
      ['not-321'],
    ],
    [
      'no offsite destination',
      {},
      {},
      [dest('disk-a', 'disk:a'), dest('disk-b', 'disk:b'), dest('s3', 'cloud:s3')],
      ['not-321'],
    ],
    [
      'a copy verified too long ago',
      { copies: [copy('disk-a'), copy('disk-b'), copy('s3', 'original', { verifiedAt: STALE })] },
      {},
      undefined,
      ['verified-too-long-ago'],
    ],
    [
      'a copy never read back since it was written',
      { copies: [copy('disk-a'), copy('disk-b'), copy('s3', 'original', { copiedAt: FRESH, verifiedAt: FRESH })] },
      {},
      undefined,
      ['never-verified'],
    ],
    [
      'a destination unreachable',
      {},
      {},
      [dest('disk-a', 'disk:a'), dest('disk-b', 'disk:b'), dest('s3', 'cloud:s3', true, false)],
      ['destination-unreachable'],
    ],
    [
      'a copy of an older version',
      { copies: [copy('disk-a'), copy('disk-b'), copy('s3', 'original', { version: 'old' })] },
      {},
      undefined,
      ['not-321'],
    ],
    [
      'a copy with other bytes',
      { copies: [copy('disk-a'), copy('disk-b'), copy('s3', 'original', { sha256: 'other' })] },
      {},
      undefined,
      ['not-321'],
    ],
    ['a copy on a destination no longer in the plan', {}, {}, DESTS.slice(0, 2), ['not-321']],
    [
      'several reasons at once',
      { favorite: true, capturedAt: '2026-05-01T10:00:00', copies: [] },
      { keepFavorites: true },
      undefined,
      ['too-recent', 'favorite', 'resource-without-copy'],
    ],
  ];
  type DestinationsOrDefault = OffloadDestination[] | undefined;
  it.each(kept)('keeps an asset %s', (_name, a, r, dests, reasons) => {
    const d = decideOffload(asset(a), dests ?? DESTS, rule(r));
    expect(d.move).toBe(false);
    expect(d.reasons).toEqual(reasons);
    expect(d.vouchers).toEqual([]);
  });

  it('two copies of one version on one destination count once', () => {
    const copies = [copy('disk-a'), copy('disk-a', 'original', { key: 'dup' }), copy('s3')];
    expect(decideOffload(asset({ copies }), DESTS, rule()).reasons).toEqual(['not-321']);
  });

  it('with --min-copies 2 moves on a drive plus an offsite copy, never without the offsite one', () => {
    const two = [copy('disk-a'), copy('s3')];
    expect(decideOffload(asset({ copies: two }), DESTS, rule({ minCopies: 2 })).move).toBe(true);
    const noOffsite = [copy('disk-a'), copy('disk-b')];
    expect(decideOffload(asset({ copies: noOffsite }), DESTS, rule({ minCopies: 2 })).reasons).toEqual(['not-321']);
  });

  it('refuses --min-copies below 2', () => {
    for (const bad of [1, 0, -3, 2.5, Number.NaN]) {
      expect(() => decideOffload(asset(), DESTS, rule({ minCopies: bad }))).toThrow(/at least 2/);
      expect(() => checkMinCopies(bad)).toThrow(RangeError);
    }
    expect(checkMinCopies(undefined)).toBe(3);
  });

  it('without an age limit an undated asset may move', () => {
    expect(decideOffload(asset({ capturedAt: undefined }), DESTS, rule({ olderThanMs: undefined })).move).toBe(true);
  });

  it('no resource at all keeps the asset', () => {
    expect(decideOffload(asset({ resources: [] }), DESTS, rule()).reasons).toEqual(['resource-without-copy']);
  });
});

describe('planOffload', () => {
  it('counts reasons, sums the bytes freed and caps the moves at max', () => {
    const assets = [
      asset({ assetId: 'm1' }),
      asset({ assetId: 'm2' }),
      asset({ assetId: 'm3' }),
      asset({ assetId: 'k1', favorite: true, copies: [] }),
      asset({ assetId: 'k2', copies: [] }),
    ];
    const plan = planOffload(assets, DESTS, rule({ keepFavorites: true }), 2);
    expect(plan.move.map((d) => d.assetId)).toEqual(['m1', 'm2']);
    expect(plan.bytes).toBe(20);
    expect(plan.keep.map((d) => d.assetId)).toEqual(['k1', 'k2']);
    expect(plan.reasons).toMatchObject({ favorite: 1, 'resource-without-copy': 2, 'not-321': 0 });
  });

  // Property: removing any one vouching copy of a moved asset at the floor never leaves it movable.
  it('at exactly the minimum, dropping any one copy keeps the asset', () => {
    const base = asset();
    expect(decideOffload(base, DESTS, rule()).move).toBe(true);
    for (let i = 0; i < base.copies.length; i++) {
      const copies = base.copies.filter((_, j) => j !== i);
      expect(decideOffload(asset({ copies }), DESTS, rule()).move).toBe(false);
    }
  });
});
