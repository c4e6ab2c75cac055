import { type AlbumsUpdate, type Asset, LifeboatError } from '@lifeboat/plugin-api';
import { ICLOUD_ERRORS, protocolError } from './errors.js';
import { included, type ListContext, listingScope, toAsset } from './listing-common.js';
import { albumMemberships } from './photos/albums.js';
import { type AssetInfo, type MasterInfo, parseAssetRecord, parseMaster } from './photos/assets.js';
import type { PhotosCloudKit } from './photos/cloudkit.js';
import { splitAlbumPaths } from './photos/descriptive.js';
import type { LibraryRef } from './photos/locator.js';
import type { CkRecord } from './photos/records.js';
import type { SnapshotEntry, SnapshotStore } from './snapshot.js';

/** Above this many changed records an incremental run is no cheaper than a walk: walk instead. */
const MAX_CHANGES = 20_000;

export interface Changes {
  libraries: { ref: LibraryRef; syncToken: string }[];
  /** Per library key: changed or deleted records by record name. */
  masters: Map<string, CkRecord>;
  assets: Map<string, CkRecord>;
  albumsChanged: Set<string>;
  count: number;
}

/** Fetches every change since the stored tokens, or undefined when a walk is needed instead. */
export async function collectChanges(
  ctx: ListContext,
  stored: { ref: LibraryRef; syncToken: string }[],
): Promise<Changes | undefined> {
  const changes: Changes = { libraries: [], masters: new Map(), assets: new Map(), albumsChanged: new Set(), count: 0 };
  for (const { ref, syncToken } of stored) {
    let token = syncToken;
    for (let batch = 0; ; batch++) {
      let result: Awaited<ReturnType<PhotosCloudKit['zoneChanges']>>;
      try {
        result = await ctx.cloudKit.zoneChanges(ref, token, ctx.signal);
      } catch (error) {
        if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.PROTOCOL) {
          ctx.logger?.info('iCloud refused the stored sync token; listing the whole library', { error: error.message });
          return undefined;
        }
        throw error;
      }
      ctx.urls.putRecords(ref, result.records);
      for (const record of result.records) {
        const key = `${ref.library}|${record.recordName}`;
        const type = record.recordType;
        if (type === 'CPLMaster') changes.masters.set(key, record);
        else if (type === 'CPLAsset') changes.assets.set(key, record);
        else if (type === 'CPLAlbum' || type === 'CPLContainerRelation') changes.albumsChanged.add(ref.library);
        else if (record.deleted && type === '') {
          // A deletion stub may carry no type: it could be either record of a photo.
          changes.masters.set(key, record);
          changes.assets.set(key, record);
        }
        changes.count++;
      }
      if (changes.count > MAX_CHANGES) return undefined;
      if (result.syncToken) token = result.syncToken;
      if (!result.moreComing || batch > 10_000) break;
    }
    changes.libraries.push({ ref, syncToken: token });
  }
  return changes;
}

/**
 * The last listing with the changes applied, streamed, and saved as the next snapshot. When albums changed, their
 * memberships are read meanwhile: with `albumsLater`, photos go out at once with the albums they had (marked
 * pending) and the new ones follow once read, as in a full walk; otherwise they are read first.
 */
export async function* incremental(ctx: ListContext, store: SnapshotStore, changes: Changes): AsyncGenerator<Asset> {
  const include = ctx.options.include;
  const libraries = new Map(changes.libraries.map((l) => [l.ref.library, l.ref]));
  const reading = new Map<string, Promise<Map<string, string[]>>>();
  for (const key of changes.albumsChanged) {
    const ref = libraries.get(key as 'primary' | 'shared');
    if (ref?.library === 'primary') reading.set(key, albumMemberships(ctx.cloudKit, ref, { signal: ctx.signal }));
  }
  for (const p of reading.values()) p.catch(() => {}); // awaited below
  const later = reading.size > 0 ? ctx.albumsLater : undefined;
  const albums = new Map<string, Map<string, string[]>>();
  if (!later) for (const [key, p] of reading) albums.set(key, await p);
  const writer = await store.begin();
  let complete = false;
  let lateAlbums = false;
  try {
    const seen = new Set<string>();
    const usedAssets = new Set<string>();
    const emit = async function* (entry: SnapshotEntry): AsyncGenerator<Asset> {
      const ref = libraries.get(entry.k);
      if (!ref || !included(entry.a, include)) return;
      const fresh = albums.get(entry.k);
      if (fresh) entry.al = fresh.get(entry.m.recordName) ?? [];
      const out = toAsset(entry, ref, include);
      if (!out || seen.has(out.id)) return;
      seen.add(out.id);
      await writer.add(entry);
      yield later && reading.has(entry.k) ? { ...out, albumsPending: true } : out;
    };

    for await (const old of store.entries()) {
      const assetKey = `${old.k}|${old.a.recordName}`;
      const masterKey = `${old.k}|${old.m.recordName}`;
      const assetChange = changes.assets.get(assetKey);
      const masterChange = changes.masters.get(masterKey);
      if (assetChange) usedAssets.add(assetKey);
      if (assetChange?.deleted || masterChange?.deleted) continue;
      let asset: AssetInfo = old.a;
      if (assetChange) asset = parseAssetRecord(assetChange) ?? old.a;
      let master: MasterInfo = old.m;
      if (masterChange) master = parseMaster(masterChange);
      if (asset.masterName !== master.recordName) {
        const other = masterFor(libraries.get(old.k), asset.masterName, changes);
        if (!other) throw protocolError(`photo ${asset.recordName} moved to an original iCloud did not send`);
        master = other;
      }
      yield* emit({ k: old.k, m: master, a: asset, al: old.al });
    }

    // Photos new to the listing: added, restored from Recently Deleted, unhidden.
    for (const [key, record] of changes.assets) {
      if (usedAssets.has(key) || record.deleted) continue;
      const k = key.slice(0, key.indexOf('|')) as 'primary' | 'shared';
      const asset = parseAssetRecord(record);
      if (!asset || !included(asset, include)) continue;
      const master = masterFor(libraries.get(k), asset.masterName, changes);
      // Never skip silently: a photo missing from a listing reads as deleted.
      if (!master) throw protocolError(`the changes of photo ${asset.recordName} came without its original record`);
      yield* emit({ k, m: master, a: asset, al: [] });
    }
    if (later) for (const [key, p] of reading) albums.set(key, await p);
    complete = true;
    lateAlbums = later !== undefined;
  } finally {
    // Committed with the albums the photos had, marked stale until the pass below has written the new ones in.
    if (complete) await writer.commit({ ...state(ctx, changes), ...(lateAlbums ? { albumsStale: true } : {}) });
    else await writer.abandon();
  }
  if (later) await writeLateAlbums(ctx, store, libraries, albums, later, state(ctx, changes));
}

const state = (ctx: ListContext, changes: Changes) => ({
  scope: listingScope(ctx.options),
  libraries: changes.libraries,
});

/** Rewrites the snapshot with the albums read late, and reports each listed photo's albums (ListContext.albumsLater). */
async function writeLateAlbums(
  ctx: ListContext,
  store: SnapshotStore,
  libraries: Map<string, LibraryRef>,
  albums: Map<string, Map<string, string[]>>,
  report: NonNullable<ListContext['albumsLater']>,
  snapshotState: { scope: string; libraries: Changes['libraries'] },
): Promise<void> {
  const writer = await store.begin();
  let done = false;
  try {
    let updates: AlbumsUpdate[] = [];
    for await (const entry of store.entries()) {
      const fresh = albums.get(entry.k);
      const ref = libraries.get(entry.k);
      if (fresh && ref) {
        entry.al = fresh.get(entry.m.recordName) ?? [];
        const out = toAsset(entry, ref, ctx.options.include);
        // Plain album names with their folders, as the full listing reports them (not `Folder/Album` paths).
        if (out) updates.push({ assetId: out.id, ...splitAlbumPaths(entry.al) });
        if (updates.length >= 1_000) {
          report(updates);
          updates = [];
        }
      }
      await writer.add(entry);
    }
    if (updates.length > 0) report(updates);
    done = true;
  } finally {
    if (done) await writer.commit(snapshotState);
    else await writer.abandon();
  }
}

/** The master of a changed asset, from the changes (missing ones were looked up before streaming began). */
function masterFor(library: LibraryRef | undefined, masterName: string, changes: Changes): MasterInfo | undefined {
  if (!library) return undefined;
  const changed = changes.masters.get(`${library.library}|${masterName}`);
  return changed && !changed.deleted ? parseMaster(changed) : undefined;
}

/**
 * CloudKit sends only the records that changed: an asset restored or unhidden comes without its master. Those
 * masters are fetched by name before anything is yielded (a listing must not restart halfway). False when the
 * server cannot look records up: the caller then walks the library instead.
 */
export async function resolveMissingMasters(
  ctx: ListContext,
  store: SnapshotStore,
  changes: Changes,
): Promise<boolean> {
  const missing = new Map<string, { library: 'primary' | 'shared'; masterName: string }>();
  for (const [key, record] of changes.assets) {
    if (record.deleted) continue;
    const asset = parseAssetRecord(record);
    const library = key.slice(0, key.indexOf('|')) as 'primary' | 'shared';
    if (!asset || changes.masters.has(`${library}|${asset.masterName}`)) continue;
    missing.set(key, { library, masterName: asset.masterName });
  }
  if (missing.size === 0) return true;
  // Photos already in the snapshot under the same master need nothing: their master is there.
  for await (const entry of store.entries()) {
    const want = missing.get(`${entry.k}|${entry.a.recordName}`);
    if (want && want.masterName === entry.m.recordName) missing.delete(`${entry.k}|${entry.a.recordName}`);
  }
  const libraries = new Map(changes.libraries.map((l) => [l.ref.library, l.ref]));
  const wanted = [...new Set([...missing.values()].map((m) => `${m.library}|${m.masterName}`))];
  for (let i = 0; i < wanted.length; i += 100) {
    const batch = wanted.slice(i, i + 100);
    const byLibrary = new Map<'primary' | 'shared', string[]>();
    for (const key of batch) {
      const library = key.slice(0, key.indexOf('|')) as 'primary' | 'shared';
      byLibrary.set(library, [...(byLibrary.get(library) ?? []), key.slice(key.indexOf('|') + 1)]);
    }
    for (const [library, names] of byLibrary) {
      const ref = libraries.get(library);
      if (!ref) continue;
      let records: CkRecord[];
      try {
        records = await ctx.cloudKit.lookup(ref, names, ctx.signal);
      } catch (error) {
        if (error instanceof LifeboatError && error.code === ICLOUD_ERRORS.PROTOCOL) {
          ctx.logger?.info('Cannot look up changed photos by name; listing the whole library', {
            error: error.message,
          });
          return false;
        }
        throw error;
      }
      for (const r of records) {
        if (r.recordType === 'CPLMaster' && !r.deleted && !r.serverErrorCode)
          changes.masters.set(`${library}|${r.recordName}`, r);
      }
    }
  }
  // A master that cannot be found would leave its photo out of the listing (read as deleted): walk instead.
  const unresolved = wanted.filter((key) => !changes.masters.has(key));
  if (unresolved.length > 0) {
    ctx.logger?.info('Some changed photos came without their original record; listing the whole library', {
      count: unresolved.length,
    });
    return false;
  }
  return true;
}
