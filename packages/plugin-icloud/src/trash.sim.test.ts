import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import type { Asset } from '@lifeboat/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRASH_BATCH } from './photos/trash.js';
import { listAll, signedInSource } from './test-helpers/sim.js';

// moveToTrash against the simulated iCloud over real HTTP: what is sent (counters) and what it does to the library.
describe('moveToTrash (offload)', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>>;
  let assets: Asset[];
  const signal = new AbortController().signal;
  const modifies = () => sim.counters.requests('ck private records/modify');
  const deleted = (a: Asset) => sim.library.state(sim.library.find(a.metadata.assetRecordName as string)!).isDeleted;
  const request = (a: Asset) => ({ assetId: a.id, metadata: a.metadata });

  beforeEach(async () => {
    sim = await startSimulator({ assets: 30, seed: 21, sharedAssets: 3 });
    env = await signedInSource(sim, { library: 'both' });
    assets = (await listAll(env.source)).filter((a) => a.deleted === undefined);
  });
  afterEach(async () => {
    await env.cleanup();
    await sim.stop();
  });

  const primary = () => assets.filter((a) => a.metadata.library === 'primary');

  it('moves the asked photos to Recently Deleted, one records/modify per small batch, and nothing else', async () => {
    const picked = primary().slice(0, 3);
    const before = modifies();
    const outcomes = await env.source.moveToTrash!(picked.map(request), { signal });
    expect(outcomes).toEqual(picked.map((a) => ({ assetId: a.id, status: 'moved' })));
    expect(modifies() - before).toBe(1);
    expect(picked.every(deleted)).toBe(true);
    expect(primary().slice(3).some(deleted)).toBe(false);
    // As iCloud.com's delete: in Recently Deleted with a purge date about 30 days out, never expunged.
    const relisted = await listAll(env.source);
    for (const a of picked) {
      const again = relisted.find((r) => r.id === a.id)!;
      expect(Date.parse(again.deleted!.purgeAt!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    }
  });

  it('refuses a photo changed since listing (CONFLICT) and moves none of its batch, nor any later one', async () => {
    const picked = primary().slice(0, TRASH_BATCH + 3);
    sim.library.setFlags(
      { indexes: [sim.library.find(picked[1]!.metadata.assetRecordName as string)!] },
      { favorite: true },
    );
    const before = modifies();
    const outcomes = await env.source.moveToTrash!(picked.map(request), { signal });
    expect(outcomes[1]).toMatchObject({ status: 'conflict' });
    expect(outcomes.filter((o) => o.status === 'not-attempted')).toHaveLength(picked.length - 1);
    expect(picked.some(deleted)).toBe(false);
    expect(modifies() - before).toBe(1);
  });

  it('moves the batches before a conflict and stops there', async () => {
    const picked = primary().slice(0, TRASH_BATCH + 3);
    const stale = picked[TRASH_BATCH + 1]!;
    sim.library.setFlags({ indexes: [sim.library.find(stale.metadata.assetRecordName as string)!] }, { hidden: true });
    const outcomes = await env.source.moveToTrash!(picked.map(request), { signal });
    expect(outcomes.slice(0, TRASH_BATCH).every((o) => o.status === 'moved')).toBe(true);
    expect(outcomes[TRASH_BATCH + 1]).toMatchObject({ status: 'conflict' });
    expect(picked.slice(0, TRASH_BATCH).every(deleted)).toBe(true);
    expect(picked.slice(TRASH_BATCH).some(deleted)).toBe(false);
  });

  it('refuses Shared Library photos and photos without a record version, sending nothing', async () => {
    const shared = assets.find((a) => a.metadata.library === 'shared')!;
    const before = modifies();
    const outcomes = await env.source.moveToTrash!([request(shared), request(primary()[0]!)], { signal });
    expect(outcomes[0]).toMatchObject({ status: 'refused', message: expect.stringContaining('Shared Library') });
    expect(outcomes[1]).toEqual({ assetId: primary()[0]!.id, status: 'not-attempted' });
    const untagged = { assetId: 'x', metadata: { ...primary()[0]!.metadata, assetChangeTag: undefined } };
    expect((await env.source.moveToTrash!([untagged], { signal }))[0]).toMatchObject({ status: 'refused' });
    expect(modifies()).toBe(before);
    expect(deleted(primary()[0]!)).toBe(false);
  });
});
