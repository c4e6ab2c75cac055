/** User albums and folders (CPLAlbum), with membership decided by a hash so nothing is stored per asset. */
import { hashSeed } from './asset-spec.js';

export interface AlbumDef {
  recordName: string;
  /** undefined for the root folder, which has no albumNameEnc. */
  name?: string;
  /** 0 album, 3 folder (the root folder is a folder too). */
  albumType: number;
  position: number;
  /** Folder recordName for nested albums/folders. */
  parentId?: string;
  /** Roughly one asset in `every` is a member (0: none, folders hold no assets). */
  every: number;
}

export const ROOT_FOLDER = '----Root-Folder----';

export function albumsFor(seed: number): AlbumDef[] {
  const id = (n: number) => {
    const h = hashSeed('album', seed, n).toString(16).toUpperCase().padStart(8, '0');
    return `${h}-0000-4000-8000-${String(n).padStart(12, '0')}`;
  };
  const trips = id(4);
  return [
    { recordName: ROOT_FOLDER, albumType: 3, position: 0, every: 0 },
    { recordName: id(1), name: 'Holidays', albumType: 0, position: 1024, every: 5 },
    { recordName: id(2), name: 'Family', albumType: 0, position: 2048, every: 7 },
    { recordName: id(3), name: 'Ünïcødé ✈ Album', albumType: 0, position: 3072, every: 11 },
    { recordName: trips, name: 'Trips', albumType: 3, position: 4096, every: 0 },
    { recordName: id(5), name: 'Paris', albumType: 0, position: 5120, parentId: trips, every: 13 },
    { recordName: id(6), name: 'Tokyo', albumType: 0, position: 6144, parentId: trips, every: 17 },
    { recordName: id(7), name: 'Empty', albumType: 0, position: 7168, every: 0 },
  ];
}

export function inAlbum(album: AlbumDef, seed: number, index: number): boolean {
  if (album.every <= 0) return false;
  // Index 0 sits in every album so tiny libraries still have non-empty albums.
  return index === 0 || hashSeed(album.recordName, seed, index) % album.every === 0;
}
