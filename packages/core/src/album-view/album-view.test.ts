import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../dest-index/index.js';
import { albumFolderKey, entryInAlbum, planAlbumView } from './album-view.js';

const entry = (key: string, fields: Partial<IndexEntry> = {}): IndexEntry => ({
  v: 1,
  key,
  source: 's',
  assetId: key,
  kind: 'original',
  version: '1',
  fileName: key.slice(key.lastIndexOf('/') + 1),
  size: 1,
  sha256: '0'.repeat(64),
  albums: [],
  favorite: false,
  hidden: false,
  copiedAt: '2024-01-01T00:00:00Z',
  ...fields,
});

describe('the album view an index asks for', () => {
  it("links each album photo under Albums/<Folder>/<Album>/, by the copy's own name", () => {
    const plan = planAlbumView([
      entry('2019/05/IMG_0001.JPG', { albums: ['Family', 'Paris'], albumFolders: { Paris: 'Trips/2019' } }),
      entry('2019/06/IMG_0002.JPG'),
    ]);
    expect(Object.fromEntries(plan)).toEqual({
      'Albums/Family/IMG_0001.JPG': '2019/05/IMG_0001.JPG',
      'Albums/Trips/2019/Paris/IMG_0001.JPG': '2019/05/IMG_0001.JPG',
    });
  });

  it('keeps two same-named copies apart, links only the newest version, and never an album link itself', () => {
    const plan = planAlbumView([
      entry('2019/05/IMG_0001.JPG', { assetId: 'a', albums: ['Family'] }),
      entry('2020/01/IMG_0001.JPG', { assetId: 'b', albums: ['Family'] }),
      entry('2020/01/IMG_0003-edited.JPG', { assetId: 'c', kind: 'edited', albums: ['Family'] }),
      entry('2020/02/IMG_0003-edited (2).JPG', {
        assetId: 'c',
        kind: 'edited',
        albums: ['Family'],
        copiedAt: '2024-02-01T00:00:00Z',
      }),
      entry('Albums/Family/x.JPG', { albums: ['Family'] }),
    ]);
    expect(Object.fromEntries(plan)).toEqual({
      'Albums/Family/IMG_0001.JPG': '2019/05/IMG_0001.JPG',
      'Albums/Family/IMG_0001 (2).JPG': '2020/01/IMG_0001.JPG',
      'Albums/Family/IMG_0003-edited (2).JPG': '2020/02/IMG_0003-edited (2).JPG',
    });
  });

  it('sanitises album and folder names into one folder each', () => {
    expect(albumFolderKey('../etc', 'a/../b')).toBe('Albums/a/b/_etc/');
    expect(albumFolderKey('Trips/2019', undefined)).toBe('Albums/Trips_2019/');
  });

  it("finds a photo's album by name or by folder path", () => {
    const e = entry('k', { albums: ['Paris'], albumFolders: { Paris: 'Trips' } });
    expect(entryInAlbum(e, 'Paris')).toBe(true);
    expect(entryInAlbum(e, 'Trips/Paris')).toBe(true);
    expect(entryInAlbum(e, 'Trips')).toBe(false);
  });
});
