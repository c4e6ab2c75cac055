import type { Logger } from '@lifeboat/core';
import type { PhotosCloudKit } from './cloudkit.js';
import type { LibraryRef } from './locator.js';
import { displayName } from './names.js';
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
 * Which albums each photo is in: master record name → album names. Walks every album's index (paged like the
 * library). Holds one short list per photo that is in an album.
 */
export async function albumMemberships(
  ck: PhotosCloudKit,
  library: LibraryRef,
  options: { signal?: AbortSignal; logger?: Logger } = {},
): Promise<Map<string, string[]>> {
  const memberships = new Map<string, string[]>();
  for (const album of await listAlbums(ck, library, options.signal)) {
    const filters = [
      { fieldName: 'parentId', comparator: 'EQUALS', fieldValue: { type: 'STRING', value: album.recordName } },
    ];
    const walk = walkIndex(ck, library, INDEX.album, {
      filters,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    for await (const { master } of walk) {
      const list = memberships.get(master.recordName) ?? [];
      if (!list.includes(album.name)) list.push(album.name);
      memberships.set(master.recordName, list);
    }
  }
  return memberships;
}
