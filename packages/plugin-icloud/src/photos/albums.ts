import type { Logger } from '@lifeboat/plugin-api';
import type { PhotosCloudKit } from './cloudkit.js';
import { indexCounts } from './counts.js';
import type { LibraryRef } from './locator.js';
import { displayName } from './names.js';
import { PageLimiter } from './page-limiter.js';
import { type CkRecord, fieldFlag, fieldNumber, fieldReference, fieldString, fieldText } from './records.js';
import { INDEX, walkIndex } from './walk.js';

const ROOT_FOLDERS = new Set(['----Root-Folder----', '----Project-Root-Folder----']);

export interface Album {
  recordName: string;
  /** `Folder/Album` for an album inside a folder. */
  name: string;
}

/** The user's albums (docs/icloud-protocol.md §Albums), skipping root folders, folders and deleted albums. */
export async function listAlbums(ck: PhotosCloudKit, library: LibraryRef, signal?: AbortSignal): Promise<Album[]> {
  const { records } = await ck.query(library, 'CPLAlbumByPositionLive', signal);
  return parseAlbums(records);
}

/** The albums among CPLAlbum records, named `Folder/Album` when inside a folder. */
export function parseAlbums(records: readonly CkRecord[]): Album[] {
  const byName = new Map<string, { name: string; parent?: string; folder: boolean }>();
  for (const r of records) {
    if (r.recordType !== 'CPLAlbum' || ROOT_FOLDERS.has(r.recordName) || fieldFlag(r, 'isDeleted')) continue;
    const name = displayName(fieldText(r, 'albumNameEnc') ?? '', 'Untitled album').replace(/\//g, '_');
    const parent = fieldString(r, 'parentId') ?? fieldReference(r, 'parentId');
    byName.set(r.recordName, {
      name,
      ...(parent && !ROOT_FOLDERS.has(parent) ? { parent } : {}),
      folder: fieldNumber(r, 'albumType') === 3,
    });
  }
  const path = (recordName: string, depth = 0): string => {
    const a = byName.get(recordName);
    if (!a) return '';
    const parent = a.parent && depth < 10 ? path(a.parent, depth + 1) : '';
    return parent ? `${parent}/${a.name}` : a.name;
  };
  return [...byName.entries()]
    .filter(([, a]) => !a.folder)
    .map(([recordName]) => ({ recordName, name: path(recordName) }));
}

/**
 * Which albums each photo is in: master record name → album names (in album order). Walks every album's index
 * (paged like the library), the albums side by side within the limiter's bound. Holds one short list per photo
 * that is in an album.
 */
export async function albumMemberships(
  ck: PhotosCloudKit,
  library: LibraryRef,
  options: { signal?: AbortSignal; logger?: Logger; limiter?: PageLimiter } = {},
): Promise<Map<string, string[]>> {
  const limiter = options.limiter ?? new PageLimiter(1);
  const albums = await limiter.run(() => listAlbums(ck, library, options.signal));
  // Counted in one request, asked while the first page of every album is already on its way.
  const countId = (album: Album) => `CPLContainerRelationNotDeletedByAssetDate:${album.recordName}`;
  const counts = limiter.run(() => indexCounts(ck, library, albums.map(countId), options.signal));
  counts.catch(() => {}); // each walk reads it
  const positions = new Map<string, number[]>();
  await Promise.all(
    albums.map(async (album, position) => {
      const filters = [
        { fieldName: 'parentId', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: album.recordName } },
      ];
      const walk = walkIndex(ck, library, INDEX.album, {
        filters,
        limiter,
        count: counts.then((c) => c.get(countId(album))),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
      for await (const { master } of walk) {
        const list = positions.get(master.recordName) ?? [];
        if (!list.includes(position)) list.push(position);
        positions.set(master.recordName, list);
      }
    }),
  );
  // Walked side by side, the albums arrive in any order: the names are given in the albums' own order.
  const memberships = new Map<string, string[]>();
  for (const [master, list] of positions) {
    const names = list.sort((a, b) => a - b).map((i) => albums[i]?.name ?? '');
    memberships.set(master, [...new Set(names)]);
  }
  return memberships;
}
