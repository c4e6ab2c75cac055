import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectedStates, handleOf, listAll, readAll, signedInSource, simBytes } from './test-helpers/sim.js';

const versions = (assets: { id: string; resources: { kind: string; version: string }[] }[]) =>
  new Map(assets.map((a) => [a.id, a.resources.map((r) => `${r.kind}=${r.version}`).join(',')]));

describe('incremental listing with changes/zone', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>>;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 300, seed: 3 });
  });
  afterEach(async () => {
    await env?.cleanup();
    await sim.stop();
  });

  it('lists every asset after adds, edits and deletes without walking the library again', async () => {
    env = await signedInSource(sim);
    const before = await listAll(env.source);
    expect(before.length).toBe(expectedStates(sim.library).length);

    const added = sim.library.add(10);
    const edited = sim.library.edit({ indexes: [11, 21, 31] });
    const deleted = sim.library.delete({ indexes: [10, 20, 30, 40, 50] });
    expect(edited.length).toBe(3);
    expect(deleted.length).toBe(5);
    const idOf = (i: number) => sim.library.state(i).spec.masterId;
    sim.counters.reset();
    const after = await listAll(env.source);
    const queries = sim.counters.requests('ck private records/query');
    expect(queries, 'only the indexing check is a query').toBeLessThanOrEqual(2);
    expect(sim.counters.requests('ck private changes/zone')).toBeGreaterThan(0);

    const expected = expectedStates(sim.library);
    expect(after.length).toBe(expected.length);
    expect(new Set(after.map((a) => a.id))).toEqual(new Set(expected.map((s) => s.spec.masterId)));
    const ids = new Set(after.map((a) => a.id));
    for (const i of added) expect(ids.has(idOf(i))).toBe(true);
    // Deleted photos wait in Recently Deleted: still listed (and backed up), flagged for core to report.
    for (const i of deleted) expect(after.find((a) => a.id === idOf(i))?.deleted?.purgeAt).toMatch(/^\d{4}-/);
    expect(after.filter((a) => a.deleted).length).toBe(5);

    const old = versions(before);
    const now = versions(after);
    for (const i of edited) {
      expect(ids.has(idOf(i))).toBe(true);
      expect(now.get(idOf(i)), 'an edit changes the edited render version').not.toBe(old.get(idOf(i)));
      const asset = after.find((a) => a.id === idOf(i))!;
      const body = await readAll(
        await env.source.open(handleOf(asset, 'edited'), { signal: new AbortController().signal }),
      );
      expect(body.equals(simBytes(sim.library, sim.library.state(i), 'resJPEGFullRes'))).toBe(true);
    }
    const untouched = before.filter((a) => !edited.map(idOf).includes(a.id) && ids.has(a.id));
    for (const a of untouched) expect(now.get(a.id)).toBe(old.get(a.id));

    // A third run with no change yields the same listing.
    const again = await listAll(env.source);
    expect(versions(again)).toEqual(now);
  });

  it('leaves Recently Deleted out when asked to', async () => {
    env = await signedInSource(sim, { include: { recentlyDeleted: false } });
    await listAll(env.source);
    const deleted = sim.library.delete({ count: 4 }).map((i) => sim.library.state(i).spec.masterId);
    const after = await listAll(env.source);
    expect(after.some((a) => deleted.includes(a.id))).toBe(false);
    expect(after.length).toBe(expectedStates(sim.library, { recentlyDeleted: false }).length);
  });

  it('lists Recently Deleted, flagged, by default, and drops expunged photos', async () => {
    env = await signedInSource(sim);
    await listAll(env.source);
    const deleted = sim.library.delete({ count: 4 });
    const after = await listAll(env.source);
    const deletedIds = deleted.map((i) => sim.library.state(i).spec.masterId);
    for (const id of deletedIds) {
      const a = after.find((x) => x.id === id);
      expect(a?.metadata.recentlyDeleted, id).toBe(true);
      expect(a?.metadata.dateExpunged).toMatch(/^\d{4}-/);
      expect(a?.deleted).toEqual({ purgeAt: a?.metadata.dateExpunged });
    }
    sim.library.expunge({ ids: [sim.library.state(deleted[0]!).spec.assetId] });
    const later = await listAll(env.source);
    expect(later.some((x) => x.id === deletedIds[0])).toBe(false);
    expect(later.length).toBe(expectedStates(sim.library, { recentlyDeleted: true }).length);
  });

  it('walks the whole library again when the sync token is refused', async () => {
    env = await signedInSource(sim);
    await listAll(env.source);
    sim.library.add(2);
    sim.expireSyncTokens();
    sim.counters.reset();
    const after = await listAll(env.source);
    expect(after.length).toBe(expectedStates(sim.library).length);
    expect(sim.counters.requests('ck private records/query')).toBeGreaterThan(3);
  });

  it('does not keep a snapshot of a listing that was interrupted', async () => {
    env = await signedInSource(sim);
    for await (const _ of env.source.list({ signal: new AbortController().signal })) break;
    sim.counters.reset();
    expect((await listAll(env.source)).length).toBe(expectedStates(sim.library).length);
    expect(sim.counters.requests('ck private records/query')).toBeGreaterThan(3); // a full walk
  });

  it('walks again next time when the library changed while it was being walked', async () => {
    let changed = false;
    const changing: typeof fetch = async (input, init) => {
      const body = String(init?.body ?? '');
      // While the main index is walked, between its first and second pages: ranks shift under the walk.
      if (!changed && body.includes('WithoutHiddenOrDeleted') && /"INT64","value":[1-9]/.test(body)) {
        changed = true;
        sim.library.delete({ indexes: [0] });
      }
      return fetch(input, init);
    };
    // One page at a time, so the change lands between two pages (pages fetched together see one state).
    env = await signedInSource(sim, { listingConcurrency: 1 }, { fetch: changing });
    await listAll(env.source);
    expect(changed).toBe(true);
    sim.counters.reset();
    const second = await listAll(env.source);
    expect(sim.counters.requests('ck private records/query')).toBeGreaterThan(3);
    expect(second.length).toBe(expectedStates(sim.library).length);
    sim.counters.reset();
    await listAll(env.source);
    expect(sim.counters.requests('ck private records/query')).toBeLessThanOrEqual(2); // incremental again
  });
});

describe('incremental listing when CloudKit sends only the changed records', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>>;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 80, seed: 9 });
  });
  afterEach(async () => {
    await env?.cleanup();
    await sim.stop();
  });

  /** Like real CloudKit after an asset-only change: changes/zone without the unchanged CPLMaster records. */
  const assetsOnly: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).includes('/changes/zone')) return response;
    const json = (await response.json()) as { zones: { records: { recordType: string }[] }[] };
    for (const zone of json.zones) zone.records = (zone.records ?? []).filter((r) => r.recordType !== 'CPLMaster');
    return new Response(JSON.stringify(json), { status: response.status, headers: response.headers });
  };

  it('keeps the master from the snapshot for photos it already lists', async () => {
    env = await signedInSource(sim, {}, { fetch: assetsOnly });
    await listAll(env.source);
    sim.library.setFlags({ indexes: [4] }, { favorite: true });
    sim.counters.reset();
    const after = await listAll(env.source);
    expect(after.length).toBe(expectedStates(sim.library).length);
    expect(after.find((a) => a.id === sim.library.state(4).spec.masterId)?.favorite).toBe(true);
    expect(sim.counters.requests('ck private records/query')).toBeLessThanOrEqual(2);
  });

  it('walks the library when a photo new to the listing comes without its master and lookup is not offered', async () => {
    sim.library.setFlags({ indexes: [6] }, { hidden: true });
    env = await signedInSource(sim, { include: { hidden: false } }, { fetch: assetsOnly });
    const before = await listAll(env.source);
    expect(before.some((a) => a.id === sim.library.state(6).spec.masterId)).toBe(false);
    sim.library.setFlags({ indexes: [6] }, { hidden: false });
    const after = await listAll(env.source);
    expect(after.length).toBe(expectedStates(sim.library, { hidden: false }).length);
    expect(after.some((a) => a.id === sim.library.state(6).spec.masterId)).toBe(true);
  });
});
