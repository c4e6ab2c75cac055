import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll, signedInSource } from './test-helpers/sim.js';

/** What a listed photo says (caption, keywords, place, zone, albums) against what the simulator served. */
describe('descriptive metadata from the simulated iCloud', () => {
  let sim: Simulator;
  let env: Awaited<ReturnType<typeof signedInSource>>;
  beforeAll(async () => {
    sim = await startSimulator({ assets: 120, seed: 23 });
    env = await signedInSource(sim);
  });
  afterAll(async () => {
    await env.cleanup();
    await sim.stop();
  });

  it('carries every field the simulator served, and album folders apart from album names', async () => {
    const assets = await listAll(env.source);
    const byMaster = new Map(assets.map((a) => [a.id, a]));
    let compared = 0;
    for (let i = 0; i < sim.library.size; i++) {
      const s = sim.library.summary(i);
      const a = byMaster.get(s.masterId);
      if (!a) continue; // hidden or deleted: not in this listing's include
      compared++;
      expect(a.caption, s.filename).toBe(s.caption);
      expect(a.keywords, s.filename).toEqual(s.keywords);
      expect(a.location, s.filename).toEqual(s.location);
      expect(a.timeZone, s.filename).toBe(s.timeZoneName);
      const paths = a.albums.map((n) => (a.albumFolders?.[n] ? `${a.albumFolders[n]}/${n}` : n));
      expect(paths, s.filename).toEqual(s.albums);
    }
    expect(compared).toBeGreaterThan(100);
    const first = byMaster.get(sim.library.summary(0).masterId)!;
    expect(first.albums).toEqual(expect.arrayContaining(['Family', 'Paris']));
    expect(first.albumFolders).toEqual({ Paris: 'Trips', Tokyo: 'Trips' });
    expect(first.location).toBeDefined();
    expect(first.keywords?.length).toBeGreaterThan(0);
  });
});
