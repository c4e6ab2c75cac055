import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from './http/client.js';
import { PageLimiter } from './photos/page-limiter.js';
import { expectedStates, listAll, signedInSource } from './test-helpers/sim.js';

/** Counts the main index's pages in flight at once, through real HTTP. */
function pageWatch() {
  const state = { inFlight: 0, max: 0, done: 0 };
  const fetchLike: FetchLike = async (input, init) => {
    const body = String(init?.body ?? '');
    const page = body.includes('"startRank"') && body.includes('WithoutHiddenOrDeleted');
    if (!page) return fetch(input, init);
    state.inFlight++;
    state.max = Math.max(state.max, state.inFlight);
    try {
      const response = await fetch(input, init);
      const text = await response.text();
      return new Response(text, { status: response.status, headers: response.headers });
    } finally {
      state.inFlight--;
      state.done++;
    }
  };
  return { state, fetch: fetchLike };
}

describe('listing pages fetched in parallel (ranks known from the count)', { timeout: 60_000 }, () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 1200, seed: 3 });
    sim.faults.latencyMs = 10;
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('keeps up to listingConcurrency pages in flight, yields them in order, and starts before the last page', async () => {
    const sequential = await signedInSource(sim, { listingConcurrency: 1 });
    const watchParallel = pageWatch();
    const parallel = await signedInSource(sim, { listingConcurrency: 4 }, { fetch: watchParallel.fetch });
    try {
      const one = await listAll(sequential.source);
      let pagesDoneAtFirst = -1;
      const four: string[] = [];
      for await (const asset of parallel.source.list({ signal: new AbortController().signal })) {
        if (pagesDoneAtFirst < 0) pagesDoneAtFirst = watchParallel.state.done;
        four.push(asset.id);
      }
      expect(four).toEqual(one.map((a) => a.id));
      expect(four.length).toBe(expectedStates(sim.library).length);
      expect(watchParallel.state.max).toBeGreaterThan(1);
      expect(watchParallel.state.max).toBeLessThanOrEqual(4);
      // The first photo came out while pages were still to come: no more than the window (twice the
      // concurrency) is fetched ahead of what was read, whatever the library's size.
      expect(pagesDoneAtFirst).toBeLessThanOrEqual(8);
      expect(watchParallel.state.done).toBeGreaterThan(8);
    } finally {
      await sequential.cleanup();
      await parallel.cleanup();
    }
  });

  it('asks for each page once, and for no page past the count', async () => {
    const env = await signedInSource(sim, { listingConcurrency: 4, include: 'none' });
    try {
      sim.counters.reset();
      const assets = await listAll(env.source);
      const pages = Math.ceil(assets.length / 100);
      const albums = sim.library.albums.length;
      // Main index pages (the last one short, so no empty probe), the indexing check, the album list and each
      // album's pages.
      const queries = sim.counters.requests('ck private records/query');
      expect(queries).toBeGreaterThanOrEqual(pages + 1);
      expect(queries).toBeLessThanOrEqual(pages + 1 + 1 + 2 * albums);
      // One count request for the indexes, one for the albums.
      expect(sim.counters.requests('ck private internal/records/query/batch')).toBe(2);
    } finally {
      await env.cleanup();
    }
  });

  it('lists the same photos in the same order through a burst of 503s, slowing down as it goes', async () => {
    const env = await signedInSource(sim, { listingConcurrency: 4 });
    const reference = await signedInSource(sim, { listingConcurrency: 1 });
    try {
      const expected = (await listAll(reference.source)).map((a) => a.id);
      sim.counters.reset();
      sim.faults.throttleScope = 'cloudkit';
      sim.faults.throttle = 3;
      const ids = (await listAll(env.source)).map((a) => a.id);
      expect(ids).toEqual(expected);
      expect(sim.counters.snapshot().responses).toMatchObject({ 'ck private records/query 503': expect.any(Number) });
      expect(env.source.cloudKit.throttles).toBeGreaterThanOrEqual(1);
    } finally {
      await env.cleanup();
      await reference.cleanup();
    }
  });

  it('costs at most 3 CloudKit requests when nothing changed (primary, shared, both)', async () => {
    for (const library of ['primary', 'shared', 'both']) {
      const env = await signedInSource(sim, { library });
      try {
        await listAll(env.source);
        sim.counters.reset();
        await listAll(env.source);
        expect(sim.counters.requests('ck ', true), library).toBeLessThanOrEqual(3);
        expect(sim.counters.requests('changes/zone', true), library).toBeGreaterThan(0);
      } finally {
        await env.cleanup();
      }
    }
  });
});

describe('page limiter', () => {
  it('halves on a throttle, stays below the throttled level, and grows back within its bound', async () => {
    let throttles = 0;
    const limiter = new PageLimiter(4, () => throttles);
    expect(limiter.concurrency).toBe(4);
    await limiter.run(async () => {
      throttles++;
    });
    expect(limiter.concurrency).toBe(2);
    for (let i = 0; i < 20; i++) await limiter.run(async () => {});
    expect(limiter.concurrency).toBe(3); // below the level that was throttled
    for (let i = 0; i < 120; i++) await limiter.run(async () => {});
    expect(limiter.concurrency).toBe(4); // probed again after enough clean pages, never above the bound
  });
});
