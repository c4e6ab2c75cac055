import type { AlbumsUpdate, Asset, Source, SourceListOptions } from '@lifeboat/plugin-api';
import { TransientError } from '@lifeboat/plugin-api';
import { MemoryDestination, MemorySource } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/index.js';
import { INDEX_PREFIX } from '../dest-index/format.js';
import { initializeDestination, readIndex } from '../dest-index/index.js';
import { withSidecarMode } from '../sidecar/setting.js';
import { previewPlan } from './preview-plan.js';
import { runBackup } from './run-backup.js';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const ALBUMS: Record<string, string[]> = { 'IMG_0.JPG': ['Trip'], 'IMG_1.JPG': ['Trip', 'Family'], 'IMG_2.JPG': [] };

async function scene(layout?: string) {
  const source = new MemorySource();
  for (const [i, id] of Object.keys(ALBUMS).entries()) source.put(id, Buffer.alloc(50_000 + i, i));
  const dest = new MemoryDestination({ medium: 'a', ...(layout ? { layout } : {}) });
  await initializeDestination(dest, 'a', new Date().toISOString());
  const catalog = Catalog.open(':memory:');
  const assets = () => [...source.files.values()].map((f) => f.asset);
  const run = (onEvent?: Parameters<typeof runBackup>[0]['onEvent']) =>
    runBackup({
      plan: 'p',
      catalog,
      sources: [{ name: 'src', source }],
      // Sidecars off: these tests count index lines, and a rewritten sidecar adds its own (see sidecar-run.test.ts).
      destinations: [{ name: 'a', destination: withSidecarMode(dest, 'none') }],
      retry: fast,
      ...(onEvent ? { onEvent } : {}),
    });
  const catalogAlbums = () =>
    Object.fromEntries([...catalog.presentResources(['src'])].map((r) => [r.assetId, r.albums]));
  const indexAlbums = async () => Object.fromEntries((await readIndex(dest)).map((e) => [e.assetId, e.albums]));
  return { source, dest, catalog, assets, run, catalogAlbums, indexAlbums };
}

const pending = (a: Asset): Asset => ({ ...a, albums: [], albumsPending: true });
const updates = (albums: Record<string, string[]>): AlbumsUpdate[] =>
  Object.entries(albums).map(([assetId, a]) => ({ assetId, albums: a }));

describe('albums reported after the assets', () => {
  it('copies before the albums are known, then records them in the catalog and the index', async () => {
    const { source, assets, run, catalogAlbums, indexAlbums } = await scene();
    const all = assets();
    let copiedBeforeAlbums = false;
    let firstCopy!: () => void;
    const copied = new Promise<void>((r) => (firstCopy = r));
    (source as Source).list = async function* (options: SourceListOptions) {
      if (!options.albumsLater) throw new Error('a run without {album} in its layouts should take albums later');
      yield* all.map(pending);
      await copied; // albums arrive only once copying started, as from a slow album walk
      copiedBeforeAlbums = true;
      options.albumsLater(updates(ALBUMS));
    };
    const summary = await run((e) => (e.type === 'copied' ? firstCopy() : undefined));
    expect(summary.ok).toBe(true);
    expect(copiedBeforeAlbums).toBe(true);
    expect(catalogAlbums()).toEqual(ALBUMS);
    expect(await indexAlbums()).toEqual(ALBUMS);
  });

  it('keeps the albums last known through an interrupted listing, and appends an index line once they change', async () => {
    const { source, dest, assets, run, catalogAlbums, indexAlbums } = await scene();
    const all = assets().map((a) => ({ ...a, albums: ALBUMS[a.id]! }));
    source.list = async function* () {
      yield* all; // a source that ignores albumsLater: albums come with the assets, as before
    };
    expect((await run()).filesCopied).toBe(3);
    expect(await indexAlbums()).toEqual(ALBUMS);

    source.list = async function* () {
      yield* all.map(pending);
      throw new TransientError('connection reset while reading albums');
    };
    expect((await run()).ok).toBe(false);
    expect(catalogAlbums()).toEqual(ALBUMS); // not emptied by the photos whose albums never came

    const moved = { ...ALBUMS, 'IMG_0.JPG': ['Beach'] };
    (source as Source).list = async function* (options: SourceListOptions) {
      yield* all.map(pending);
      options.albumsLater?.(updates(moved));
    };
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(summary.filesCopied).toBe(0); // the albums changed, not the bytes
    expect(catalogAlbums()).toEqual(moved);
    expect(await indexAlbums()).toEqual(moved);
    // The update is a whole entry for the same copy (same key, size, sha256, copiedAt): any reader applies it.
    const lines: { key: string; sha256: string; copiedAt: string; albums: string[] }[] = [];
    for (const [key, o] of dest.objects)
      if (key.startsWith(INDEX_PREFIX))
        for (const l of o.data.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
    const img0 = lines.filter((l) => l.key.endsWith('IMG_0.JPG'));
    expect(img0.map((l) => l.albums)).toEqual([['Trip'], ['Beach']]);
    expect(new Set(img0.map((l) => `${l.sha256} ${l.copiedAt}`)).size).toBe(1);
    expect(lines).toHaveLength(4); // only the changed photo was written again
  });

  it('has the source read albums first when a destination files by album', async () => {
    const { source, dest, assets, run, catalogAlbums } = await scene('{album}/{name}');
    const all = assets().map((a) => ({ ...a, albums: ALBUMS[a.id]! }));
    let offered: unknown;
    (source as Source).list = async function* (options: SourceListOptions) {
      offered = options.albumsLater;
      yield* all;
    };
    expect((await run()).ok).toBe(true);
    expect(offered).toBeUndefined();
    expect(catalogAlbums()).toEqual(ALBUMS);
    const keys = [...dest.objects.keys()].filter((k) => !k.startsWith('.lifeboat/') && !k.endsWith('.xmp')).sort();
    expect(keys).toEqual(['No Album/IMG_2.JPG', 'Trip/IMG_0.JPG', 'Trip/IMG_1.JPG']);
  });
});

describe('the preview (plan show, the TUI dry run)', () => {
  it('lets the source report albums later exactly when the run would, and plans the same files', async () => {
    for (const layout of [undefined, '{album}/{name}']) {
      const { source, dest, catalog, assets } = await scene(layout);
      const all = assets();
      let offered: unknown;
      (source as Source).list = async function* (options: SourceListOptions) {
        offered = options.albumsLater;
        yield* options.albumsLater ? all.map(pending) : all.map((a) => ({ ...a, albums: ALBUMS[a.id]! }));
        options.albumsLater?.(updates(ALBUMS));
      };
      const preview = await previewPlan({
        sources: [{ name: 'src', source }],
        destinations: [{ name: 'a', destination: dest }],
        catalog,
        signal: new AbortController().signal,
      });
      expect(typeof offered).toBe(layout ? 'undefined' : 'function');
      expect(preview.figures.totals.files).toBe(3);
    }
  });
});

describe('Catalog.markIndexedAsWritten', () => {
  it('leaves a copy unindexed when its albums changed while its entry was written', () => {
    const catalog = Catalog.open(':memory:');
    const runId = catalog.startRun('p', 'T0');
    const inventory = catalog.beginInventory('src', runId, 'T0');
    for (const id of ['a', 'b'])
      inventory.add({
        id,
        fileName: `${id}.JPG`,
        albums: [],
        albumsPending: true,
        favorite: false,
        hidden: false,
        metadata: {},
        resources: [{ kind: 'original', fileName: `${id}.JPG`, size: 1, version: 'v1' }],
      });
    inventory.flush();
    for (const id of ['a', 'b'])
      catalog.recordCopy({
        destination: 'd',
        source: 'src',
        assetId: id,
        kind: 'original',
        version: 'v1',
        key: `${id}.JPG`,
        size: 1,
        sha256: 'x',
        copiedAt: 'T1',
        verifiedAt: 'T1',
      });
    const read = catalog.unindexedCopies('d');
    inventory.setAlbums([{ assetId: 'a', albums: ['Trip'] }]); // arrives while the segment is being written
    catalog.markIndexedAsWritten('d', read);
    expect(catalog.unindexedCopies('d').map((c) => [c.key, c.albums])).toEqual([['a.JPG', ['Trip']]]);
  });
});
