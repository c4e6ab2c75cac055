import type { Asset } from '@lifeboat/plugin-api';
import { TransientError } from '@lifeboat/plugin-api';
import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { initializeDestination } from '../dest-index/index.js';
import type { RunEvent } from './events.js';
import { ListingFeed } from './listing-feed.js';
import { PlanStream } from './plan-stream.js';
import { runBackup } from './run-backup.js';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

async function scene(n: number, description: ConstructorParameters<typeof MemoryDestination>[0] = {}) {
  const source = new MemorySource();
  for (let i = 0; i < n; i++) source.put(`IMG_${i}.JPG`, Buffer.alloc(70_000 + i, i));
  const dest = new MemoryDestination({ medium: 'a', ...description });
  await initializeDestination(dest, 'a', new Date().toISOString());
  const catalog = Catalog.open(':memory:');
  const events: RunEvent[] = [];
  const run = (extra: Partial<Parameters<typeof runBackup>[0]> = {}) =>
    runBackup({
      plan: 'p',
      catalog,
      sources: [{ name: 'src', source }],
      destinations: [{ name: 'a', destination: dest }],
      retry: fast,
      onEvent: (e) => events.push(e),
      ...extra,
    });
  return { source, dest, catalog, events, run };
}

const copies = (d: MemoryDestination) =>
  [...d.objects.keys()].filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp'));

describe('runBackup, streaming', () => {
  it('copies the first page while the listing still runs', async () => {
    const { source, dest, events, run } = await scene(6);
    let firstCopy!: () => void;
    const copied = new Promise<boolean>((resolve) => (firstCopy = () => resolve(true)));
    const all = [...source.files.values()].map((f) => f.asset);
    let copiedBeforeListingEnded: boolean | undefined;
    source.list = async function* () {
      yield* all.slice(0, 3);
      // The rest of the listing waits for a copy: an engine that lists everything first never gets one.
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref());
      copiedBeforeListingEnded = await Promise.race([copied, timeout]);
      yield* all.slice(3);
    };
    const summary = await run({ onEvent: (e) => (e.type === 'copied' ? firstCopy() : events.push(e)) });
    expect(copiedBeforeListingEnded).toBe(true);
    expect(summary.ok).toBe(true);
    expect(summary.listed).toBe(6);
    expect(copies(dest)).toHaveLength(6);
  });

  it('hands the first photo to a worker before the rest of its page is listed', async () => {
    const { source, dest, run } = await scene(40);
    const all = [...source.files.values()].map((f) => f.asset);
    let listed = 0;
    let listedAtFirstOpen: number | undefined;
    // One page handed over in microtasks, as a source parsing a CloudKit page does: no macrotask in between.
    source.list = async function* () {
      for (const asset of all) {
        listed++;
        yield asset;
      }
    };
    const open = source.open.bind(source);
    source.open = (resource, options) => {
      listedAtFirstOpen ??= listed;
      return open(resource, options);
    };
    expect((await run()).ok).toBe(true);
    expect(copies(dest)).toHaveLength(40);
    expect(listedAtFirstOpen).toBeLessThan(40);
  });

  it('marks nothing gone after a listing that failed part way, and still copies what the catalog knows', async () => {
    const { source, dest, catalog, run } = await scene(5);
    dest.failWrites = () => {
      throw new Error('disk on fire');
    };
    expect((await run()).filesCopied).toBe(0); // the catalog now knows all five, none copied
    dest.failWrites = undefined;
    const all = [...source.files.values()].map((f) => f.asset);
    source.list = async function* () {
      yield* all.slice(0, 2);
      throw new TransientError('connection reset while listing');
    };
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(summary.failures.map((f) => f.code)).toEqual(['LIFEBOAT_TRANSIENT']);
    expect(summary.goneFromSource).toBe(0);
    expect(catalog.goneCount()).toBe(0);
    // Two listed now, three read back from the catalog: all copied, as a run always did after a failed listing.
    expect(summary.filesCopied).toBe(5);
    expect(copies(dest)).toHaveLength(5);
  });

  it('never asks a source that answered 503 with Retry-After again before it passed, and copies everything', async () => {
    const { source, dest, run } = await scene(8);
    const open = source.open.bind(source);
    const opens: number[] = [];
    let throttledAt: number | undefined;
    source.open = async (handle, options) => {
      opens.push(Date.now());
      if (throttledAt === undefined && opens.length === 3) {
        throttledAt = Date.now();
        throw new TransientError('503 Service Unavailable', { throttled: true, retryAfterMs: 400 });
      }
      return open(handle, options);
    };
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(copies(dest)).toHaveLength(8);
    // Opens already on their way when the 503 came may land in its first milliseconds; none after.
    const violating = opens.filter((t) => t > throttledAt! + 20 && t < throttledAt! + 400);
    expect(violating).toEqual([]);
    expect(Math.max(...opens)).toBeGreaterThanOrEqual(throttledAt! + 400);
  });

  it('halves the source limit on a 503 and reports the limits in progress', async () => {
    const { source, events, run } = await scene(12);
    const open = source.open.bind(source);
    let calls = 0;
    source.open = async (handle, options) => {
      if (++calls === 2) throw new TransientError('503', { throttled: true });
      return open(handle, options);
    };
    const summary = await run();
    expect(summary.ok).toBe(true);
    const limits = events.flatMap((e) => (e.type === 'progress' && e.concurrency ? [e.concurrency.sources.src] : []));
    expect(limits.at(-1)).toBe(2); // started at 4, halved once; this short run had no window to grow back
  });

  it('holds to the bandwidth limit across all workers', async () => {
    const { run } = await scene(10); // ~700 KB
    const started = performance.now();
    const summary = await run({ bandwidthLimit: 512 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    const rate = summary.bytesCopied / seconds;
    expect(summary.filesCopied).toBe(10);
    // The first tenth of a second's worth passes at once (the burst), so the rate sits just above the limit.
    expect(rate).toBeLessThan(512 * 1024 * 1.15);
    expect(rate).toBeGreaterThan(512 * 1024 * 0.8);
  });

  it('fails a destination whose free space the plan outgrows, saying by how much', async () => {
    const { dest, run } = await scene(3, { freeBytes: 1000 });
    const summary = await run();
    expect(summary.destinations[0]?.error?.code).toBe('LIFEBOAT_NO_SPACE');
    expect(copies(dest)).toHaveLength(0);
  });
});

describe('PlanStream', () => {
  it('reads back from the catalog what did not fit its queue, handing every version out once', async () => {
    const source = new MemorySource();
    for (let i = 0; i < 25; i++) source.put(`f${i}`, Buffer.alloc(10, i));
    const catalog = Catalog.open(':memory:');
    const runId = catalog.startRun('p', new Date().toISOString());
    const signal = new AbortController().signal;
    const now = () => new Date().toISOString();
    const feed = new ListingFeed({ sources: [{ name: 's', source }], catalog, signal, emit: () => {}, now, runId });
    const dest = {
      name: 'a',
      description: { location: '/a', medium: 'a', mediumKind: 'disk', offsite: false, layout: '{name}' },
    };
    const stream = new PlanStream({ feed, catalog, sources: ['s'], destinations: [dest], handOut: true, highWater: 4 });
    const handed: string[] = [];
    for await (const batch of stream) {
      for (const w of batch) handed.push(w.resource.assetId);
      await new Promise((r) => setTimeout(r, 5)); // slow workers: the queue fills and drops
    }
    expect(handed.sort()).toEqual([...source.files.keys()].sort());
    expect(stream.figures().totals).toMatchObject({ resources: 25, files: 25 });
  });

  it('plans a version listed twice once', async () => {
    const asset: Asset = {
      id: 'x',
      fileName: 'x.jpg',
      albums: [],
      favorite: false,
      hidden: false,
      metadata: {},
      resources: [{ kind: 'original', fileName: 'x.jpg', size: 5, version: 'v1' }],
    };
    const source = new MemorySource();
    source.list = async function* () {
      yield asset;
      yield asset;
    };
    const catalog = Catalog.open(':memory:');
    const signal = new AbortController().signal;
    const feed = new ListingFeed({ sources: [{ name: 's', source }], catalog, signal, emit: () => {}, now: () => '' });
    const dest = {
      name: 'a',
      description: { location: '/a', medium: 'a', mediumKind: 'disk', offsite: false, layout: '{name}' },
    };
    const stream = new PlanStream({ feed, catalog, sources: ['s'], destinations: [dest], handOut: false });
    await stream.planned;
    expect(stream.figures().totals.files).toBe(1);
  });
});
