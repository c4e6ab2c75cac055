import type { MemorySource } from '@lifeboat/plugin-api/testing';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/index.js';
import { INDEX_PREFIX, readIndex } from '../dest-index/index.js';
import { repairDestinations } from './repair.js';
import { backedUp, copyKeys, FAST_RETRY } from './test-scene.js';
import type { RepairOptions } from './types.js';
import { verifyDestination } from './verify-destination.js';

let catalog: Catalog | undefined;
afterEach(() => {
  catalog?.close();
  catalog = undefined;
});

const clock = () => new Date('2024-05-01T00:00:00.000Z');

function repair(
  targets: [string, MemoryDestination][],
  donors: [string, MemoryDestination][],
  extra: Partial<RepairOptions> = {},
) {
  return repairDestinations({
    targets: targets.map(([name, destination]) => ({ name, destination })),
    donors: donors.map(([name, destination]) => ({ name, destination })),
    ...(catalog ? { catalog } : {}),
    retry: FAST_RETRY,
    clock,
    ...extra,
  });
}

const snapshot = (d: MemoryDestination) => new Map([...d.objects].map(([k, o]) => [k, Buffer.from(o.data)]));
const sourceOf = (source: MemorySource) => async (name: string) => (name === 'src' ? source : undefined);

describe('repairDestinations', () => {
  it('re-creates a corrupt copy on one destination and a missing copy on the other, each from the healthy one', async () => {
    const scene = await backedUp();
    catalog = scene.catalog;
    const healthyA = snapshot(scene.a);
    const [k1, k2] = copyKeys(scene.a);
    scene.a.objects.get(k1!)!.data[5]! ^= 0x40;
    scene.b.objects.delete(k2!);

    const report = await repair(
      [
        ['a', scene.a],
        ['b', scene.b],
      ],
      [
        ['a', scene.a],
        ['b', scene.b],
      ],
    );
    expect(report.ok).toBe(true);
    const [ra, rb] = report.destinations;
    expect(ra!.repaired).toEqual([{ key: k1, was: 'corrupt', from: 'destination b', size: healthyA.get(k1!)!.length }]);
    expect(rb!.repaired).toEqual([{ key: k2, was: 'missing', from: 'destination a', size: healthyA.get(k2!)!.length }]);
    expect(snapshot(scene.a)).toEqual(healthyA);
    expect(scene.b.objects.get(k2!)!.data).toEqual(healthyA.get(k2!));
    // The repaired copy's record now says when it was last proven.
    expect([...catalog.copiesOn('a')].find((c) => c.key === k1)!.verifiedAt).toBe(clock().toISOString());
    for (const [name, d] of [
      ['a', scene.a],
      ['b', scene.b],
    ] as const) {
      const again = await verifyDestination({ name, destination: d, catalog, selection: { all: true } });
      expect(again, name).toMatchObject({ ok: true, problems: [], healthy: 12 });
    }
  });

  it('never overwrites a healthy copy: every other object is written zero times', async () => {
    const scene = await backedUp(6);
    catalog = scene.catalog;
    const broken = copyKeys(scene.b)[3]!;
    scene.b.objects.get(broken)!.data[0]! ^= 1;
    const writes: string[] = [];
    for (const d of [scene.a, scene.b]) {
      const write = d.write.bind(d);
      d.write = async (key, body, options) => {
        writes.push(`${d === scene.a ? 'a' : 'b'}:${key}:${options.overwrite === true}`);
        return write(key, body, options);
      };
    }
    const report = await repair(
      [
        ['a', scene.a],
        ['b', scene.b],
      ],
      [
        ['a', scene.a],
        ['b', scene.b],
      ],
    );
    expect(report.ok).toBe(true);
    expect(writes).toEqual([`b:${broken}:true`]);
  });

  it('falls back to the source when no destination holds a healthy copy', async () => {
    const scene = await backedUp(4);
    catalog = scene.catalog;
    const key = copyKeys(scene.a)[1]!;
    const good = Buffer.from(scene.a.objects.get(key)!.data);
    scene.a.objects.get(key)!.data[9]! ^= 1;
    scene.b.objects.get(key)!.data[9]! ^= 2; // the donor is damaged too: its bytes fail the sha256 check
    const report = await repair([['a', scene.a]], [['b', scene.b]], { openSource: sourceOf(scene.source) });
    expect(report.ok).toBe(true);
    expect(report.destinations[0]!.repaired).toEqual([{ key, was: 'corrupt', from: 'source src', size: good.length }]);
    expect(scene.a.objects.get(key)!.data).toEqual(good);
    expect(scene.b.objects.get(key)!.data).not.toEqual(good); // b was not a target
  });

  it('reports a copy it cannot repair, and leaves the damaged copy in place', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    const key = copyKeys(scene.a)[0]!;
    scene.a.objects.get(key)!.data[1]! ^= 1;
    const damaged = Buffer.from(scene.a.objects.get(key)!.data);
    scene.b.objects.delete(key);
    scene.source.files.clear(); // gone from the source too
    const report = await repair([['a', scene.a]], [['b', scene.b]], { openSource: sourceOf(scene.source) });
    expect(report.ok).toBe(false);
    expect(report.destinations[0]!.failures).toEqual([
      expect.objectContaining({ key, was: 'corrupt', code: 'LIFEBOAT_NO_HEALTHY_COPY' }),
    ]);
    expect(report.destinations[0]!.failures[0]!.message).toContain('source src');
    expect(scene.a.objects.get(key)!.data).toEqual(damaged);
  });

  it('does not replace a copy it could not read: unreadable is not proven damaged', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    const key = copyKeys(scene.a)[2]!;
    const read = scene.a.read.bind(scene.a);
    scene.a.read = async (k, o) => {
      if (k === key) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      return read(k, o);
    };
    const writes: string[] = [];
    const write = scene.a.write.bind(scene.a);
    scene.a.write = async (k, b, o) => {
      writes.push(k);
      return write(k, b, o);
    };
    const report = await repair([['a', scene.a]], [['b', scene.b]]);
    expect(report.ok).toBe(false);
    expect(report.destinations[0]!.failures).toEqual([expect.objectContaining({ key, was: 'unreadable' })]);
    expect(writes).toEqual([]);
  });

  it('repairs from a donor by sha256 with no local state, using only the destinations indexes', async () => {
    const scene = await backedUp(5);
    scene.catalog.close();
    const key = copyKeys(scene.a)[3]!;
    scene.a.objects.delete(key);
    const report = await repair([['a', scene.a]], [['b', scene.b]]);
    expect(report.ok).toBe(true);
    expect(report.destinations[0]!.verify!.basis).toBe('index');
    expect(report.destinations[0]!.repaired).toEqual([expect.objectContaining({ key, from: 'destination b' })]);
    expect(scene.a.objects.get(key)!.data).toEqual(scene.b.objects.get(key)!.data);
  });

  it('writes copies the destination index lost back into it, so a restore without local state sees them', async () => {
    const scene = await backedUp(4);
    catalog = scene.catalog;
    for (const k of [...scene.a.objects.keys()]) if (k.startsWith(INDEX_PREFIX)) scene.a.objects.delete(k);
    const report = await repair([['a', scene.a]], [['b', scene.b]]);
    expect(report.ok).toBe(true);
    expect(report.destinations[0]!.reindexed).toBe(4);
    expect((await readIndex(scene.a)).map((e) => e.key).sort()).toEqual(copyKeys(scene.a));
    const again = await verifyDestination({ name: 'a', destination: scene.a, catalog, selection: { all: true } });
    expect(again.problems).toEqual([]);
  });

  it('reports a target that is not mounted without touching anything', async () => {
    const scene = await backedUp(2);
    catalog = scene.catalog;
    const report = await repair([['a', new MemoryDestination()]], [['b', scene.b]]);
    expect(report.ok).toBe(false);
    expect(report.destinations[0]!.error?.code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
  });

  it('reports a failing write to the target with its error, and commits nothing', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    const key = copyKeys(scene.a)[0]!;
    scene.a.objects.delete(key);
    scene.a.failWrites = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const report = await repair([['a', scene.a]], [['b', scene.b]]);
    expect(report.ok).toBe(false);
    expect(report.destinations[0]!.failures).toEqual([
      expect.objectContaining({ key, was: 'missing', message: expect.stringContaining('ENOSPC') }),
    ]);
    expect(scene.a.objects.has(key)).toBe(false);
  });
});
