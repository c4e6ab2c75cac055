/**
 * Issue 14: at Apple's pace the album pages grow with the library, so a run whose layouts do not use `{album}`
 * must not wait for them before the first copy. Against the simulator's apple profile (its waits scaled down),
 * core's engine and the iCloud plugin copy before every album page was read, and still end with every photo's
 * albums (the simulator's truth) in the catalog and in the destination's own index; a `{album}` layout still gets
 * its albums first and files every photo in the right folder.
 */
import {
  Catalog,
  initializeDestination,
  type RunEvent,
  readIndex,
  runBackup,
  type Source,
  type SourceListOptions,
} from '@lifeboat/core';
import { MemoryDestination } from '@lifeboat/core/testing';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInSource } from './signed-in-source.js';

const fast = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 };

/** Every listed asset's albums as the simulator holds them, by the id Lifeboat gives it (the master's name). */
function simAlbums(sim: Simulator): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < sim.library.size; i++) {
    const s = sim.library.state(i);
    if (!s.isExpunged) out.set(s.spec.masterId, sim.library.albumNamesOf(i));
  }
  return out;
}

/** Album names with their folders, as the simulator names them (`Trips/Paris`). */
const paths = (albums: string[], folders: Record<string, string> | undefined) =>
  albums.map((name) => (folders?.[name] ? `${folders[name]}/${name}` : name));

/** What the source did, seen from the engine's side: when assets came, how many without albums, when albums came. */
function watched(source: Source) {
  const seen = { firstAssetAt: 0, pending: 0, albumsAt: 0 };
  const wrapper: Source = {
    open: (resource, options) => source.open(resource, options),
    async *list(options: SourceListOptions) {
      const report = options.albumsLater;
      const albumsLater = report
        ? (updates: Parameters<typeof report>[0]) => {
            seen.albumsAt ||= performance.now();
            report(updates);
          }
        : undefined;
      for await (const asset of source.list({ ...options, ...(albumsLater ? { albumsLater } : {}) })) {
        seen.firstAssetAt ||= performance.now();
        if (asset.albumsPending) seen.pending++;
        yield asset;
      }
    },
  };
  return { wrapper, seen };
}

describe('album memberships at Apple pace', () => {
  let sim: Simulator | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    await sim?.stop();
    cleanup = undefined;
    sim = undefined;
  });

  async function scene(layout?: string) {
    sim = await startSimulator({
      assets: 600,
      seed: 41,
      sharedAssets: 0,
      sizeScale: 0.05,
      profile: 'apple',
      // Apple's waits divided by ten or more; its concurrency limits kept, so album pages queue behind each other.
      pace: { cloudkitLatencyMs: 300, apiLatencyMs: 30, downloadLatencyMs: 20, downloadBytesPerSecond: 50_000_000 },
    });
    const env = await signedInSource(sim, fast);
    cleanup = env.cleanup;
    const dest = new MemoryDestination({ medium: 'a', ...(layout ? { layout } : {}) });
    await initializeDestination(dest, 'a', new Date().toISOString());
    const catalog = Catalog.open(':memory:');
    const { wrapper, seen } = watched(env.source);
    let firstCopyAt = 0;
    const run = () =>
      runBackup({
        plan: 'p',
        catalog,
        sources: [{ name: 'icloud', source: wrapper }],
        destinations: [{ name: 'a', destination: dest }],
        retry: fast,
        onEvent: (e: RunEvent) => {
          if (e.type === 'copied') firstCopyAt ||= performance.now();
        },
      });
    // The catalog holds album names (each folder in the asset's details); the index entries name both.
    const catalogAlbums = async () => {
      const folders = new Map((await readIndex(dest)).map((e) => [e.assetId, e.albumFolders] as const));
      return new Map(
        [...catalog.presentResources(['icloud'])].map(
          (r) => [r.assetId, paths(r.albums, folders.get(r.assetId))] as const,
        ),
      );
    };
    return { sim, dest, run, seen, firstCopy: () => firstCopyAt, catalogAlbums };
  }

  it('copies before the album pages are read, then records every photo with its albums', async () => {
    const { sim, dest, run, seen, firstCopy, catalogAlbums } = await scene();
    const summary = await run();
    expect(summary.failures).toEqual([]);
    expect(seen.pending).toBeGreaterThan(0);
    expect(seen.albumsAt).toBeGreaterThan(0);
    expect(firstCopy()).toBeGreaterThan(0);
    expect(firstCopy()).toBeLessThan(seen.albumsAt);

    const truth = simAlbums(sim);
    const inCatalog = await catalogAlbums();
    expect(inCatalog.size).toBe(truth.size);
    expect(Object.fromEntries(inCatalog)).toEqual(Object.fromEntries(truth));
    expect([...truth.values()].filter((a) => a.length > 0).length).toBeGreaterThan(truth.size / 3);
    const index = await readIndex(dest);
    expect(index.length).toBe(summary.filesCopied);
    for (const e of index) expect(paths(e.albums, e.albumFolders), e.key).toEqual(truth.get(e.assetId));
  });

  it('reads the albums first when the layout files photos by album', async () => {
    const { sim, dest, run, seen, firstCopy, catalogAlbums } = await scene('{album}/{name}');
    const summary = await run();
    expect(summary.failures).toEqual([]);
    expect(seen.pending).toBe(0);
    expect(seen.albumsAt).toBe(0); // never offered the later channel
    expect(firstCopy()).toBeGreaterThan(0);

    const truth = simAlbums(sim);
    expect(Object.fromEntries(await catalogAlbums())).toEqual(Object.fromEntries(truth));
    const index = await readIndex(dest);
    expect(index.length).toBe(summary.filesCopied);
    for (const e of index) {
      const first = truth.get(e.assetId)?.[0];
      // The folder is the first album's name (an album inside a folder by its own name: `Paris`), or `No Album`.
      const folder = e.key.slice(0, e.key.lastIndexOf('/'));
      expect(folder, e.key).toBe(first === undefined ? 'No Album' : first.slice(first.lastIndexOf('/') + 1));
    }
  });
});
