import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { initializeDestination } from '../dest-index/index.js';
import { runBackup } from '../engine/run-backup.js';
import { verifyDestination } from '../verify/verify-destination.js';
import type { OffloadRule } from './rule.js';
import { type OffloadTarget, runOffload } from './run-offload.js';

const DAY = 86_400_000;
const RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

// A real backup (engine, catalog) of old photos to two drives and an offsite one, then offload from it.
async function scene(n = 14) {
  const source = new MemorySource();
  for (let i = 0; i < n; i++) {
    source.put(`IMG_${String(i).padStart(4, '0')}.JPG`, Buffer.alloc(5_000 + i, i + 1), {
      capturedAt: '2019-05-04T10:00:00',
      favorite: i === 0,
    });
  }
  source.put('IMG_NEW.JPG', Buffer.alloc(100, 9), { capturedAt: new Date().toISOString().slice(0, 19) });
  const disks = {
    a: new MemoryDestination({ medium: 'disk-a' }),
    b: new MemoryDestination({ medium: 'disk-b' }),
    off: new MemoryDestination({ medium: 'bucket', offsite: true }),
  };
  for (const [name, d] of Object.entries(disks)) await initializeDestination(d, name, '2024-01-01T00:00:00.000Z');
  const catalog = Catalog.open(':memory:');
  const summary = await runBackup({
    plan: 'p',
    catalog,
    sources: [{ name: 'src', source }],
    destinations: Object.entries(disks).map(([name, destination]) => ({ name, destination })),
    retry: RETRY,
  });
  if (!summary.ok) throw new Error(JSON.stringify(summary.failures));
  // Offload trusts only copies read back after they were written: verify every destination (a second on).
  for (const [name, destination] of Object.entries(disks)) {
    const report = await verifyDestination({
      name,
      destination,
      catalog,
      selection: { all: true },
      clock: () => new Date(Date.now() + 1000),
    });
    if (!report.ok) throw new Error(`verify ${name} failed`);
  }
  const targets: OffloadTarget[] = [];
  for (const [name, destination] of Object.entries(disks)) {
    targets.push({ name, destination, description: await destination.describe(), reachable: true });
  }
  const rule: OffloadRule = {
    now: new Date(),
    olderThanMs: 365 * DAY,
    keepFavorites: true,
    keepAlbums: [],
    verifiedWithinMs: 7 * DAY,
    minCopies: 3,
  };
  const run = (move: boolean, max?: number) =>
    runOffload({
      catalog,
      sourceName: 'src',
      source,
      destinations: targets,
      rule,
      move,
      signal: new AbortController().signal,
      ...(max === undefined ? {} : { max }),
    });
  return { source, disks, catalog, run, n };
}

describe('runOffload', () => {
  it('a dry run plans the old, verified, non-favourite photos and sends nothing', async () => {
    const s = await scene();
    const result = await s.run(false);
    expect(result.plan.move).toHaveLength(s.n - 1);
    expect(result.plan.reasons).toMatchObject({ favorite: 1, 'too-recent': 1 });
    expect(result.moved).toEqual([]);
    expect(s.source.trashCalls).toEqual([]);
    expect(s.catalog.offloads()).toEqual([]);
  });

  it('moves in small batches up to --max, records each move with its vouching copies', async () => {
    const s = await scene();
    const result = await s.run(true, 12);
    expect(result.stopped).toBeUndefined();
    expect(result.moved).toHaveLength(12);
    expect(s.source.trashCalls.map((c) => c.length)).toEqual([10, 2]);
    const trashed = [...s.source.files.values()].filter((f) => f.asset.deleted !== undefined).map((f) => f.asset.id);
    expect(trashed.sort()).toEqual(result.moved.map((d) => d.assetId).sort());
    const ledger = s.catalog.offloads('src');
    expect(ledger).toHaveLength(12);
    expect(new Set(ledger[0]!.vouchers.map((v) => v.destination))).toEqual(new Set(['a', 'b', 'off']));
    expect(s.catalog.offloadTotals()).toEqual([{ source: 'src', assets: 12, bytes: result.plan.bytes }]);
  });

  it('stops before a batch when a vouching copy no longer reads back as recorded', async () => {
    const s = await scene();
    const plan = (await s.run(false)).plan;
    // Damage the copy the read-back checks first (the first voucher) of the 3rd asset to move.
    const victim = plan.move[2]!.vouchers[0]!;
    const disk = s.disks[victim.destination as keyof typeof s.disks];
    disk.objects.get(victim.key)!.data[0]! ^= 0xff;
    const result = await s.run(true);
    expect(result.stopped).toMatchObject({ assetId: plan.move[2]!.assetId, reason: 'read-back-failed' });
    expect(result.moved).toEqual([]);
    expect(s.source.trashCalls).toEqual([]);
  });

  it('stops at a conflict: an asset changed since it was listed is not moved, nor anything after it', async () => {
    const s = await scene();
    const plan = (await s.run(false)).plan;
    s.source.touch(plan.move[3]!.assetId);
    const result = await s.run(true);
    expect(result.stopped).toMatchObject({ assetId: plan.move[3]!.assetId, reason: 'conflict' });
    expect(result.moved.map((d) => d.assetId)).toEqual(plan.move.slice(0, 3).map((d) => d.assetId));
    expect(s.source.trashCalls).toHaveLength(1);
    expect(s.catalog.offloads()).toHaveLength(3);
  });

  it('refuses to move from a source that cannot, before reading anything', async () => {
    const s = await scene(2);
    const plain = { list: s.source.list.bind(s.source), open: s.source.open.bind(s.source) };
    await expect(
      runOffload({
        catalog: s.catalog,
        sourceName: 'src',
        source: plain,
        destinations: [],
        rule: { now: new Date(), keepFavorites: false, keepAlbums: [], verifiedWithinMs: DAY, minCopies: 3 },
        move: true,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/cannot be offloaded/);
  });
});
