import type { Asset } from '@lifeboat/plugin-api';
import { included, type ListContext, listingScope, toAsset } from './listing-common.js';
import { collectChanges, incremental, resolveMissingMasters } from './listing-incremental.js';
import { albumMemberships } from './photos/albums.js';
import type { PhotosCloudKit } from './photos/cloudkit.js';
import type { LibraryRef } from './photos/locator.js';
import { INDEX, walkIndex } from './photos/walk.js';
import type { IncludeOptions } from './settings.js';
import type { SnapshotEntry } from './snapshot.js';
import type { UrlCache } from './url-cache.js';

export { type ListContext, listingScope } from './listing-common.js';

/**
 * Every asset of the chosen libraries, streamed. Incremental when a snapshot of the last complete listing and
 * its sync tokens exist (changes/zone applied to the snapshot); otherwise, or when a token is refused, a full
 * walk of the indexes, which then becomes the snapshot.
 */
export async function* listLibrary(ctx: ListContext): AsyncGenerator<Asset> {
  const libraries = await chooseLibraries(ctx);
  for (const library of libraries) await ctx.cloudKit.checkIndexing(library, ctx.signal);
  const scope = listingScope(ctx.options);
  const state = ctx.snapshot ? await ctx.snapshot.readState(scope) : undefined;
  if (
    ctx.snapshot &&
    state &&
    sameLibraries(
      state.libraries.map((l) => l.ref),
      libraries,
    )
  ) {
    const changes = await collectChanges(ctx, state.libraries);
    if (changes && (await resolveMissingMasters(ctx, ctx.snapshot, changes))) {
      yield* incremental(ctx, ctx.snapshot, changes);
      return;
    }
  }
  yield* fullWalk(ctx, libraries);
}

async function chooseLibraries(ctx: ListContext): Promise<LibraryRef[]> {
  const all = await ctx.cloudKit.libraries(ctx.signal);
  const wanted = ctx.options.library;
  const primary = all.filter((l) => l.library === 'primary');
  const shared = all.filter((l) => l.library === 'shared').slice(0, 1);
  if (primary.length === 0 && wanted !== 'shared') {
    // zones/list may omit it; PrimarySync always exists for an account with iCloud Photos.
    primary.push({ library: 'primary', database: 'private', zone: { zoneName: 'PrimarySync' } });
  }
  if (wanted === 'primary') return primary;
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
  try {
    const seen = new Set<string>();
    for (const library of libraries) {
      let token: string | undefined;
      const albums =
        library.library === 'primary'
          ? await albumMemberships(ctx.cloudKit, library, {
              signal: ctx.signal,
              ...(ctx.logger ? { logger: ctx.logger } : {}),
            })
          : new Map<string, string[]>();
      for (const index of indexesFor(ctx.options.include)) {
        const walk = walkIndex(ctx.cloudKit, library, index, {
          signal: ctx.signal,
          ...(ctx.logger ? { logger: ctx.logger } : {}),
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
          if (!included(asset, ctx.options.include)) continue;
          const entry: SnapshotEntry = {
            k: library.library,
            m: master,
            a: asset,
            al: albums.get(master.recordName) ?? [],
          };
          const out = toAsset(entry, library, ctx.options.include);
          if (!out || seen.has(out.id)) continue;
          seen.add(out.id);
          await writer?.add(entry);
          yield out;
        }
      }
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
