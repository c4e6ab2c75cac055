import type { Asset } from '@lifeboat/plugin-api';
import { included, type ListContext, listingScope, toAsset } from './listing-common.js';
import { collectChanges, incremental, resolveMissingMasters } from './listing-incremental.js';
import { albumMemberships } from './photos/albums.js';
import type { PhotosCloudKit } from './photos/cloudkit.js';
import { indexCounts } from './photos/counts.js';
import { splitAlbumPaths } from './photos/descriptive.js';
import type { LibraryRef } from './photos/locator.js';
import { PageLimiter } from './photos/page-limiter.js';
import { COUNT_OF, INDEX, walkIndex } from './photos/walk.js';
import type { IncludeOptions } from './settings.js';
import type { SnapshotEntry } from './snapshot.js';
import type { UrlCache } from './url-cache.js';

export { type ListContext, listingScope } from './listing-common.js';

/**
 * Every asset of the chosen libraries, streamed. Incremental when a snapshot of the last complete listing and
 * its sync tokens exist (changes/zone applied to the snapshot); otherwise, or when a token is refused, a full
 * walk of the indexes, which then becomes the snapshot. A run with nothing new asks CloudKit only for the
 * changes (plus zones/list of the shared database when a shared library is wanted, to see one appear or go).
 */
export async function* listLibrary(ctx: ListContext): AsyncGenerator<Asset> {
  const state = ctx.snapshot ? await ctx.snapshot.readState(listingScope(ctx.options)) : undefined;
  const libraries =
    state && ctx.options.library === 'primary' ? state.libraries.map((l) => l.ref) : await chooseLibraries(ctx);
  if (
    ctx.snapshot &&
    state &&
    sameLibraries(
      state.libraries.map((l) => l.ref),
      libraries,
    )
  ) {
    const changes = await collectChanges(ctx, state.libraries);
    // A listing interrupted between its album pass and the snapshot with the late albums: read them again.
    if (changes && state.albumsStale) for (const l of state.libraries) changes.albumsChanged.add(l.ref.library);
    if (changes && (await resolveMissingMasters(ctx, ctx.snapshot, changes))) {
      yield* incremental(ctx, ctx.snapshot, changes);
      return;
    }
  }
  yield* fullWalk(ctx, libraries);
}

/** The primary library is always the private database's PrimarySync; only a shared library needs zones/list. */
async function chooseLibraries(ctx: ListContext): Promise<LibraryRef[]> {
  const wanted = ctx.options.library;
  const primary: LibraryRef[] = [{ library: 'primary', database: 'private', zone: { zoneName: 'PrimarySync' } }];
  if (wanted === 'primary') return primary;
  const shared = (await ctx.cloudKit.libraries(ctx.signal, ['shared']))
    .filter((l) => l.library === 'shared')
    .slice(0, 1);
  if (wanted === 'shared') {
    if (shared.length === 0) ctx.logger?.warn('This account has no shared library; nothing to list from it');
    return shared;
  }
  return [...primary, ...shared];
}

function sameLibraries(a: LibraryRef[], b: LibraryRef[]): boolean {
  const key = (l: LibraryRef) => `${l.library}|${l.database}|${l.zone.zoneName}`;
  return a.length === b.length && a.map(key).sort().join() === b.map(key).sort().join();
}

async function* fullWalk(ctx: ListContext, libraries: LibraryRef[]): AsyncGenerator<Asset> {
  const writer = await ctx.snapshot?.begin();
  const tokens: { ref: LibraryRef; syncToken: string }[] = [];
  let complete = false;
  // Ranks shift when photos are added or deleted mid-walk, so a photo can be skipped; a snapshot with that hole
  // would hide the photo from every incremental run. Every page carries the zone's current sync token: when it
  // moved during the walk, the snapshot is not kept and the next run walks again.
  let changedMidWalk = false;
  // One bound for every CloudKit request of this listing (pages, counts, albums), adapting to throttling.
  const limiter = new PageLimiter(ctx.options.listingConcurrency, () => ctx.cloudKit.throttles);
  const signal = ctx.signal;
  const logger = ctx.logger ? { logger: ctx.logger } : {};
  try {
    const seen = new Set<string>();
    for (const library of libraries) {
      let token: string | undefined;
      const indexes = indexesFor(ctx.options.include);
      // Asked together with the first page, so the first photo waits for one round trip, not four.
      const ready = limiter.run(() => ctx.cloudKit.checkIndexing(library, signal));
      const counts = limiter.run(() =>
        indexCounts(
          ctx.cloudKit,
          library,
          indexes.map((i) => COUNT_OF[i] ?? i),
          signal,
        ),
      );
      const albumsOf =
        library.library === 'primary'
          ? albumMemberships(ctx.cloudKit, library, { signal, limiter, ...logger })
          : Promise.resolve(new Map<string, string[]>());
      for (const p of [ready, counts, albumsOf]) p.catch(() => {}); // awaited below, before the first photo
      // With albums needed for keys, no photo is yielded before its albums are known: until they are, the album
      // requests get the slots and the index holds only its first page. Otherwise photos go out as pages arrive
      // and their albums follow (albumsLater) once every album page is read.
      const later = ctx.albumsLater;
      let albums: Map<string, string[]> | undefined;
      albumsOf.then(
        (a) => {
          albums = a;
        },
        () => {},
      );
      // Photos out before their albums, kept (small: what pages arrived while albums were read) so that the
      // snapshot, written once albums are known, records each photo's albums.
      let pending: { entry: SnapshotEntry; id: string }[] = [];
      const settle = async () => {
        if (!albums || pending.length === 0 || !later) return;
        const known = albums;
        const settled = pending;
        pending = [];
        for (const p of settled) {
          p.entry.al = known.get(p.entry.m.recordName) ?? [];
          await writer?.add(p.entry);
        }
        later(settled.map((p) => ({ assetId: p.id, ...splitAlbumPaths(p.entry.al) })));
      };
      for (const index of indexes) {
        const walk = walkIndex(ctx.cloudKit, library, index, {
          signal,
          limiter,
          count: counts.then((c) => c.get(COUNT_OF[index] ?? index)),
          ahead: () => (albums || later ? limiter.window : 1),
          ...logger,
          onSyncToken: (t) => {
            token ??= t;
            if (t !== token && !changedMidWalk) {
              changedMidWalk = true;
              ctx.logger?.info('The library changed while it was listed; the next run lists it whole again');
            }
          },
          onRecords: (records) => ctx.urls.putRecords(library, records),
        });
        for await (const { master, asset } of walk) {
          await ready;
          if (!later) albums ??= await albumsOf;
          await settle();
          if (!included(asset, ctx.options.include)) continue;
          const entry: SnapshotEntry = {
            k: library.library,
            m: master,
            a: asset,
            al: albums?.get(master.recordName) ?? [],
          };
          const out = toAsset(entry, library, ctx.options.include);
          if (!out || seen.has(out.id)) continue;
          seen.add(out.id);
          if (albums) await writer?.add(entry);
          else pending.push({ entry, id: out.id });
          yield albums ? out : { ...out, albumsPending: true };
        }
      }
      albums ??= await albumsOf;
      await settle();
      // An empty library still has to be ready (and its albums read) for the listing to count as complete.
      await ready;
      if (token) tokens.push({ ref: library, syncToken: token });
    }
    complete = true;
  } finally {
    if (writer) {
      if (complete && tokens.length === libraries.length && !changedMidWalk)
        await writer.commit({ scope: listingScope(ctx.options), libraries: tokens });
      else await writer.abandon();
    }
  }
}

function indexesFor(include: IncludeOptions): string[] {
  const indexes: string[] = [INDEX.all];
  if (include.hidden) indexes.push(INDEX.hidden);
  if (include.recentlyDeleted) indexes.push(INDEX.recentlyDeleted);
  return indexes;
}

/** Walks a library's indexes only to remember fresh download URLs (for servers without records/lookup). */
export async function refreshUrls(
  cloudKit: PhotosCloudKit,
  urls: UrlCache,
  library: LibraryRef,
  include: IncludeOptions,
  signal: AbortSignal,
): Promise<void> {
  for (const index of indexesFor(include)) {
    for await (const _ of walkIndex(cloudKit, library, index, {
      signal,
      onRecords: (r) => urls.putRecords(library, r),
    })) {
      // the records are all that is needed
    }
  }
}
