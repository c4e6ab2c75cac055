import type { DestinationDescription } from '@lifeboat/plugin-api';
import { ConfigError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  type PlannableResource,
  planBackup,
  SPACE_MARGIN_BYTES,
  SPACE_MARGIN_PER_FILE,
  spaceNeeded,
} from './plan-backup.js';

interface TestResource extends PlannableResource {
  extra: string;
}

const resource = (assetId: string, size = 100, version = 'v1'): TestResource => ({
  source: 'icloud',
  assetId,
  kind: 'original',
  version,
  size,
  fileName: `${assetId}.JPG`,
  extra: `x-${assetId}`,
});

const destination = (name: string, extra: Partial<DestinationDescription> = {}) => ({
  name,
  description: {
    location: `/mnt/${name}`,
    medium: name,
    mediumKind: 'disk',
    offsite: false,
    layout: '{name}',
    ...extra,
  },
});

/** A fake catalog: the set of "destination|assetId|version" that hold a copy. */
const copies = (...entries: string[]) => {
  const held = new Set(entries);
  return (d: string, r: PlannableResource) => held.has(`${d}|${r.assetId}|${r.version}`);
};

describe('planBackup', () => {
  it('sends everything to every destination when nothing is copied yet', () => {
    const plan = planBackup({
      resources: [resource('a', 100), resource('b', 50)],
      destinations: [destination('drive-a'), destination('drive-b')],
      hasCopy: copies(),
    });
    expect(plan.work.map((w) => [w.resource.assetId, w.destinations])).toEqual([
      ['a', ['drive-a', 'drive-b']],
      ['b', ['drive-a', 'drive-b']],
    ]);
    expect(plan.totals).toEqual({ resources: 2, files: 2, bytesToRead: 150, bytesToWrite: 300 });
    expect(plan.perDestination.map((d) => [d.name, d.files, d.bytes])).toEqual([
      ['drive-a', 2, 150],
      ['drive-b', 2, 150],
    ]);
  });

  it('hands back the caller’s own resource objects', () => {
    const r = resource('a');
    const plan = planBackup({ resources: [r], destinations: [destination('d')], hasCopy: copies() });
    expect(plan.work[0]!.resource).toBe(r);
    expect(plan.work[0]!.resource.extra).toBe('x-a');
  });

  it('only targets the destinations lacking a resource when partially copied', () => {
    const plan = planBackup({
      resources: [resource('a', 100), resource('b', 50), resource('c', 10)],
      destinations: [destination('drive-a'), destination('drive-b'), destination('s3', { offsite: true })],
      hasCopy: copies('drive-a|a|v1', 'drive-b|a|v1', 's3|a|v1', 'drive-a|b|v1', 's3|c|v1'),
    });
    expect(plan.work.map((w) => [w.resource.assetId, w.destinations])).toEqual([
      ['b', ['drive-b', 's3']],
      ['c', ['drive-a', 'drive-b']],
    ]);
    expect(plan.totals).toEqual({ resources: 3, files: 2, bytesToRead: 60, bytesToWrite: 120 });
    expect(plan.perDestination.map((d) => [d.name, d.files, d.bytes])).toEqual([
      ['drive-a', 1, 10],
      ['drive-b', 2, 60],
      ['s3', 1, 50],
    ]);
  });

  it('plans nothing when every destination holds every resource', () => {
    const plan = planBackup({
      resources: [resource('a')],
      destinations: [destination('d')],
      hasCopy: () => true,
    });
    expect(plan.work).toEqual([]);
    expect(plan.perDestination[0]).toMatchObject({ files: 0, bytes: 0, neededBytes: 0, enoughSpace: true });
  });

  it('copies an edited resource anew: a new version is new work even where the old one is', () => {
    const plan = planBackup({
      resources: [resource('a', 120, 'v2')],
      destinations: [destination('drive-a')],
      hasCopy: copies('drive-a|a|v1'),
    });
    expect(plan.work.map((w) => [w.resource.version, w.destinations])).toEqual([['v2', ['drive-a']]]);
  });

  it('flags a destination without enough free space, margin included, with how much is missing', () => {
    const size = 1_000_000_000;
    const plan = planBackup({
      resources: [resource('a', size)],
      destinations: [
        destination('small', { freeBytes: size }),
        destination('big', { freeBytes: 10 * size }),
        destination('unknown'),
      ],
      hasCopy: copies(),
    });
    const [small, big, unknown] = plan.perDestination;
    const needed = size + size * 0.02 + SPACE_MARGIN_PER_FILE + SPACE_MARGIN_BYTES;
    expect(small).toMatchObject({ enoughSpace: false, freeBytes: size, neededBytes: needed, shortBy: needed - size });
    expect(big).toMatchObject({ enoughSpace: true, freeBytes: 10 * size });
    expect(big!.shortBy).toBeUndefined();
    expect(unknown).toMatchObject({ enoughSpace: true });
    expect(unknown!.freeBytes).toBeUndefined();
  });

  it('a destination short of space gets what fits, in plan order, and is told what does not', () => {
    const mb = 1_000_000;
    const plan = planBackup({
      resources: [resource('a', 3 * mb), resource('b', 4 * mb), resource('c', 2 * mb), resource('d', 1 * mb)],
      destinations: [destination('small', { freeBytes: spaceNeeded(6 * mb, 3) }), destination('big')],
      hasCopy: copies(),
    });
    const [small] = plan.perDestination;
    // a (3) and c (2) and d (1) fit; b (4) does not once a is in.
    expect(small).toMatchObject({ enoughSpace: false, files: 4, skippedFiles: 1, skippedBytes: 4 * mb });
    expect(plan.work.map((w) => [w.resource.assetId, w.destinations])).toEqual([
      ['a', ['small', 'big']],
      ['b', ['big']],
      ['c', ['small', 'big']],
      ['d', ['small', 'big']],
    ]);
    expect(plan.totals.bytesToWrite).toBe(10 * mb + 6 * mb);
  });

  it('evaluates the 3-2-1 rule for the destinations', () => {
    const plan = planBackup({ resources: [], destinations: [destination('drive-a')], hasCopy: copies() });
    expect(plan.evaluation).toMatchObject({ copies: 2, ok: false });
  });

  it('refuses a destination listed twice', () => {
    expect(() =>
      planBackup({ resources: [], destinations: [destination('d'), destination('d')], hasCopy: copies() }),
    ).toThrow(ConfigError);
  });

  it('streams a large library once', () => {
    let reads = 0;
    function* library() {
      for (let i = 0; i < 100_000; i++) {
        reads++;
        yield resource(`id-${i}`, 10);
      }
    }
    const plan = planBackup({
      resources: library(),
      destinations: [destination('a'), destination('b'), destination('c')],
      // Every other resource is on `a` already.
      hasCopy: (d, r) => d === 'a' && Number(r.assetId.slice(3)) % 2 === 0,
    });
    expect(reads).toBe(100_000);
    expect(plan.totals).toEqual({
      resources: 100_000,
      files: 100_000,
      bytesToRead: 1_000_000,
      bytesToWrite: 2_500_000,
    });
    expect(plan.perDestination.map((d) => d.files)).toEqual([50_000, 100_000, 100_000]);
  });
});

describe('spaceNeeded', () => {
  it('needs nothing for nothing, and a margin proportional to the backup otherwise', () => {
    expect(spaceNeeded(0, 0)).toBe(0);
    expect(spaceNeeded(100, 1)).toBe(100 + 2 + 8 * 1024 + 1024 * 1024);
    // The case that was refused: 50 KB to a drive with 52 MB free.
    expect(spaceNeeded(50_000, 1)).toBeLessThan(52_000_000);
    expect(spaceNeeded(10_000_000_000, 1000)).toBeGreaterThan(10_200_000_000);
  });
});
