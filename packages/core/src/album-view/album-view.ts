import type { Destination } from '@lifeboat/plugin-api';
import { describeError, toFailure } from '@lifeboat/plugin-api';
import { ALBUM_VIEW_PREFIX, type IndexEntry } from '../dest-index/index.js';
import { alternativeKey, sanitizeSegment } from '../layout/index.js';

/** What keeping an album view in step did. */
export interface AlbumViewResult {
  linked: number;
  unlinked: number;
  /** Links that are symbolic (the drive could not hard link). */
  symbolic: number;
  /** Links already as they should be. */
  kept: number;
  failures: { key: string; code: string; message: string }[];
}

/** The album folder of one album: `Albums/<Folder>/<Album>/`, each segment sanitised like a layout's. */
export function albumFolderKey(album: string, folder: string | undefined): string {
  const parts = (folder ?? '').split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  return `${ALBUM_VIEW_PREFIX}${[...parts, album].map((s) => sanitizeSegment(s, 'Untitled album')).join('/')}/`;
}

/**
 * The album view an index asks for: link key -> the copy it names. Each album holds the newest copy of every
 * resource of its photos, under the copy's own file name (`IMG_0001 (2).JPG` when two differ in one album).
 * Decided from the destination's own index, so the view follows the drive, not this computer's catalog.
 */
export function planAlbumView(entries: readonly IndexEntry[]): Map<string, string> {
  const newest = new Map<string, IndexEntry>();
  for (const e of entries) {
    if (e.albums.length === 0 || e.key.startsWith(ALBUM_VIEW_PREFIX)) continue;
    const id = `${e.source}\u0000${e.assetId}\u0000${e.kind}`;
    const held = newest.get(id);
    if (!held || e.copiedAt > held.copiedAt || (e.copiedAt === held.copiedAt && e.key > held.key)) newest.set(id, e);
  }
  // Sorted by key so the same index gives the same names every time.
  const copies = [...newest.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const links = new Map<string, string>();
  for (const e of copies) {
    for (const album of new Set(e.albums)) {
      const base = albumFolderKey(album, e.albumFolders?.[album]) + e.key.slice(e.key.lastIndexOf('/') + 1);
      let key = base;
      for (let n = 2; links.has(key); n++) key = alternativeKey(base, n);
      links.set(key, e.key);
    }
  }
  return links;
}

/**
 * Brings a destination's album view in step with its index: links what is missing, unlinks what no album holds
 * any more (a photo taken out of an album leaves its folder). Only names made by `link` are ever removed, and the
 * destination refuses to remove a name that is the last one of its bytes: a copy is never deleted here.
 */
export async function syncAlbumView(
  destination: Destination,
  entries: readonly IndexEntry[],
  signal?: AbortSignal,
): Promise<AlbumViewResult> {
  const { link, unlink, listLinks } = destination;
  if (!link || !unlink || !listLinks) throw new Error('This destination cannot make links');
  const wanted = planAlbumView(entries);
  const result: AlbumViewResult = { linked: 0, unlinked: 0, symbolic: 0, kept: 0, failures: [] };
  const failed = (key: string, error: unknown) => {
    const { code } = toFailure(error);
    result.failures.push({ key, code, message: describeError(error) });
  };
  const present = new Set<string>();
  for await (const key of listLinks.call(destination, ALBUM_VIEW_PREFIX)) present.add(key);
  for (const key of present) {
    if (signal?.aborted) return result;
    if (wanted.has(key)) continue;
    try {
      await unlink.call(destination, key);
      result.unlinked++;
    } catch (error) {
      failed(key, error);
    }
  }
  for (const [key, target] of wanted) {
    if (signal?.aborted) return result;
    if (present.has(key)) {
      result.kept++;
      continue;
    }
    try {
      if ((await link.call(destination, target, key)) === 'symbolic') result.symbolic++;
      result.linked++;
    } catch (error) {
      failed(key, error);
    }
  }
  return result;
}

/** Whether an index entry's photo is in an album, named as `Album` or by its path `Folder/Album`. */
export function entryInAlbum(entry: Pick<IndexEntry, 'albums' | 'albumFolders'>, album: string): boolean {
  return entry.albums.includes(album) || albumPaths(entry).includes(album);
}

/** The path an entry's file had in its source (`Trip 2024/IMG_0001.jpg`), when the source had folders. */
export function sourcePath(entry: Pick<IndexEntry, 'folder' | 'fileName'>): string | undefined {
  return entry.folder ? `${entry.folder}/${entry.fileName}` : undefined;
}

/** An entry's albums named as a person reads them: `Family`, `Trips/Paris` for an album inside a folder. */
export function albumPaths(entry: Pick<IndexEntry, 'albums' | 'albumFolders'>): string[] {
  return entry.albums.map((name) => {
    const folder = entry.albumFolders?.[name];
    return folder ? `${folder}/${name}` : name;
  });
}
