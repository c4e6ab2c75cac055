import { LifeboatError } from '@lifeboat/plugin-api';
import { MemoryDestination } from '@lifeboat/plugin-api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/index.js';
import { appendIndex, INDEX_FORMAT_VERSION, INDEX_PREFIX, writeBuffer } from '../dest-index/index.js';
import { backedUp, copyKeys, FAST_RETRY } from './test-scene.js';
import type { VerifyOptions, VerifyReport } from './types.js';
import { verifyDestination } from './verify-destination.js';

let catalog: Catalog | undefined;
afterEach(() => {
  catalog?.close();
  catalog = undefined;
});

const at = (iso: string) => () => new Date(iso);
const kinds = (r: VerifyReport) => r.problems.map((p) => `${p.kind} ${p.key}`).sort();

function verify(d: MemoryDestination, options: Partial<VerifyOptions> = {}) {
  return verifyDestination({
    name: 'a',
    destination: d,
    selection: { all: true },
    retry: FAST_RETRY,
    clock: at('2024-02-01T00:00:00.000Z'),
    ...(catalog ? { catalog } : {}),
    ...options,
  });
}

describe('verifyDestination', () => {
  it('reads every copy back with --all, finds them healthy and records when', async () => {
    const scene = await backedUp();
    catalog = scene.catalog;
    const report = await verify(scene.a);
    expect(report).toMatchObject({ ok: true, basis: 'catalog', copies: 12, checked: 12, healthy: 12, problems: [] });
    expect(report.bytesChecked).toBe([...catalog.copiesOn('a')].reduce((s, c) => s + c.size, 0));
    expect([...catalog.copiesOn('a')].every((c) => c.verifiedAt === '2024-02-01T00:00:00.000Z')).toBe(true);
    // The other destination was not touched.
    expect([...catalog.copiesOn('b')].every((c) => c.verifiedAt === '2024-01-02T00:00:00.000Z')).toBe(true);
  });

  it('finds a flipped byte, a deleted copy, a truncated copy and an unexpected file, and changes nothing', async () => {
    const scene = await backedUp();
    catalog = scene.catalog;
    const [flipped, deleted, truncated] = copyKeys(scene.a);
    scene.a.objects.get(flipped!)!.data[10]! ^= 0xff;
    scene.a.objects.delete(deleted!);
    const t = scene.a.objects.get(truncated!)!;
    t.data = t.data.subarray(0, 100);
    await writeBuffer(scene.a, '2021/01/stray.txt', Buffer.from('mine'));
    const before = new Map([...scene.a.objects].map(([k, o]) => [k, Buffer.from(o.data)]));

    const report = await verify(scene.a);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual(
      [`corrupt ${flipped}`, `missing ${deleted}`, `corrupt ${truncated}`, 'unexpected 2021/01/stray.txt'].sort(),
    );
    expect(report.problems.find((p) => p.key === truncated)).toMatchObject({ actual: { size: 100 } });
    expect(report.healthy).toBe(9);
    // Damaged copies keep their old verification time: only what was proven is recorded.
    const times = new Map([...catalog.copiesOn('a')].map((c) => [c.key, c.verifiedAt]));
    expect(times.get(flipped!)).toBe('2024-01-02T00:00:00.000Z');
    expect(times.get(copyKeys(scene.a).at(-2)!)).toBe('2024-02-01T00:00:00.000Z');
    expect(new Map([...scene.a.objects].map(([k, o]) => [k, o.data]))).toEqual(before);
  });

  it('does not fail on unexpected files alone', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    await writeBuffer(scene.a, 'notes.txt', Buffer.from('x'));
    const report = await verify(scene.a);
    expect(report.ok).toBe(true);
    expect(kinds(report)).toEqual(['unexpected notes.txt']);
  });

  it('samples deterministically, least recently verified first, covering everything over successive scrubs', async () => {
    const scene = await backedUp(10);
    catalog = scene.catalog;
    const seen: string[][] = [];
    for (let day = 1; day <= 4; day++) {
      const before = [...catalog.copiesOn('a')].map((c) => c.verifiedAt);
      const report = await verify(scene.a, {
        selection: { samplePercent: 30 },
        clock: at(`2024-03-0${day}T00:00:00.000Z`),
      });
      expect(report).toMatchObject({ ok: true, copies: 10, checked: 3 });
      const now = [...catalog.copiesOn('a')];
      seen.push(now.filter((c, i) => c.verifiedAt !== before[i]).map((c) => c.key));
    }
    expect(seen.map((s) => s.length)).toEqual([3, 3, 3, 3]);
    expect(new Set(seen.slice(0, 4).flat()).size).toBe(10); // 4 scrubs of 30% cover all 10
    expect(new Set(seen.slice(0, 3).flat()).size).toBe(9); // no copy read twice before all were read once
  });

  it('finds a missing copy even when the sample does not read it', async () => {
    const scene = await backedUp(10);
    catalog = scene.catalog;
    const gone = copyKeys(scene.a)[4]!;
    scene.a.objects.delete(gone);
    const report = await verify(scene.a, { selection: { samplePercent: 10 } });
    expect(report.checked).toBe(1);
    expect(kinds(report)).toEqual([`missing ${gone}`]);
  });

  it('with no local state, checks against the destination index and samples by a daily window', async () => {
    const scene = await backedUp(10);
    scene.catalog.close();
    const broken = copyKeys(scene.a)[2]!;
    scene.a.objects.get(broken)!.data[0]! ^= 1;
    const all = await verify(scene.a);
    expect(all).toMatchObject({ basis: 'index', copies: 10, checked: 10, healthy: 9, ok: false });
    expect(kinds(all)).toEqual([`corrupt ${broken}`]);
    const readOn: string[][] = [];
    const read = scene.a.read.bind(scene.a);
    scene.a.read = async (key, options) => {
      if (!key.startsWith('.lifeboat/') && !key.endsWith('.xmp')) readOn.at(-1)!.push(key);
      return read(key, options);
    };
    for (let day = 10; day < 15; day++) {
      readOn.push([]);
      const r = await verify(scene.a, { selection: { samplePercent: 20 }, clock: at(`2024-03-${day}T12:00:00.000Z`) });
      expect(r.checked).toBe(2);
    }
    // Each day reads the next window of 2: five daily scrubs read all 10 copies once each.
    expect(readOn.flat().sort()).toEqual(copyKeys(scene.a));
  });

  it('reports copies the destination index lost', async () => {
    const scene = await backedUp(4);
    catalog = scene.catalog;
    for (const key of [...scene.a.objects.keys()]) if (key.startsWith(INDEX_PREFIX)) scene.a.objects.delete(key);
    const one = copyKeys(scene.a)[0]!;
    const entry = [...catalog.copiesOn('a')].find((c) => c.key === one)!;
    await appendIndex(
      scene.a,
      [{ ...entry, v: INDEX_FORMAT_VERSION, fileName: 'x', albums: [], favorite: false, hidden: false }],
      new Date(),
    );
    const report = await verify(scene.a);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['unindexed', 'unindexed', 'unindexed']);
  });

  it('refuses an index from a newer Lifeboat when it is the only record, with a clear error', async () => {
    const d = new MemoryDestination();
    const { initializeDestination } = await import('../dest-index/index.js');
    await initializeDestination(d, 'a', 'T');
    await writeBuffer(d, `${INDEX_PREFIX}s.jsonl`, Buffer.from(`${JSON.stringify({ v: 99, key: 'k' })}\n`));
    const error = await verify(d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('LIFEBOAT_INDEX_TOO_NEW');
  });

  it('reports a newer index as a problem when the catalog still knows the copies, and checks them', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    await writeBuffer(scene.a, `${INDEX_PREFIX}zz.jsonl`, Buffer.from(`${JSON.stringify({ v: 99, key: 'k' })}\n`));
    const report = await verify(scene.a);
    expect(report).toMatchObject({ ok: false, healthy: 3, indexError: { code: 'LIFEBOAT_INDEX_TOO_NEW' } });
  });

  it('refuses a destination without its marker (a drive not mounted)', async () => {
    const error = await verify(new MemoryDestination()).catch((e: unknown) => e);
    expect((error as LifeboatError).code).toBe('LIFEBOAT_DEST_UNAVAILABLE');
  });

  it('reports a copy that cannot be read as unreadable, not as damaged', async () => {
    const scene = await backedUp(3);
    catalog = scene.catalog;
    const bad = copyKeys(scene.a)[1]!;
    const read = scene.a.read.bind(scene.a);
    scene.a.read = async (key, options) => {
      if (key === bad) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      return read(key, options);
    };
    const report = await verify(scene.a);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'unreadable', key: bad })]);
    expect(report.problems[0]!.message).toContain('EIO');
  });
});
