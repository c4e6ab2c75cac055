import { join } from 'node:path';
import { RECORDED_DIR, readCassette } from '@lifeboat/icloud-sim';
import { describe, expect, it } from 'vitest';
import { arrayAt, parseJson } from '../json.js';
import { parseAlbums } from './albums.js';
import { parseDescriptive, splitAlbumPaths } from './descriptive.js';
import { type CkRecord, readRecord } from './records.js';

/** Every CPLAsset and CPLAlbum record of a recorded cassette (packages/icloud-sim/recorded). */
function recorded(file: string, type: string): CkRecord[] {
  return readCassette(join(RECORDED_DIR, file)).flatMap((i) =>
    (arrayAt(parseJson(i.body), 'records') ?? [])
      .map((r) => readRecord(r))
      .filter((r): r is CkRecord => r?.recordType === type),
  );
}

describe('what Apple sends about a photo, decoded from the recorded answers', () => {
  it('reads the place of every recorded locationEnc (a binary property list), in range', () => {
    const assets = recorded('listing_photos_raw_alt.yml', 'CPLAsset');
    const withField = assets.filter((r) => r.fields.locationEnc !== undefined);
    expect(withField.length).toBeGreaterThan(50);
    const places = withField.map((r) => parseDescriptive(r).location);
    // Recorded near Chiang Mai: every one decodes, none is dropped.
    for (const place of places) {
      expect(place?.latitude).toBeGreaterThan(18);
      expect(place?.latitude).toBeLessThan(19);
      expect(place?.longitude).toBeGreaterThan(98);
      expect(place?.longitude).toBeLessThan(99.5);
      expect(place?.altitude).toBeGreaterThanOrEqual(0);
    }
    expect(parseDescriptive(withField[0]!).location).toEqual({
      latitude: expect.closeTo(18.82, 1),
      longitude: expect.closeTo(98.96, 1),
      altitude: expect.closeTo(327, 0),
    });
  });

  it('reads the recorded time-zone name and an empty keyword list as no keywords', () => {
    const assets = recorded('listing_videos.yml', 'CPLAsset');
    const zoned = assets.filter((r) => r.fields.timeZoneNameEnc !== undefined);
    expect(zoned.map((r) => parseDescriptive(r).timeZone)).toEqual(['Asia/Taipei']);
    const keyworded = assets.filter((r) => r.fields.keywordsEnc !== undefined);
    expect(keyworded.length).toBe(1);
    expect(parseDescriptive(keyworded[0]!).keywords).toBeUndefined();
  });

  it('decodes captions and keywords, and drops what does not decode rather than guess', () => {
    const record = (fields: Record<string, unknown>): CkRecord => ({
      recordName: 'A',
      recordType: 'CPLAsset',
      deleted: false,
      fields: fields as CkRecord['fields'],
    });
    const b64 = (s: string) => ({ value: Buffer.from(s).toString('base64'), type: 'ENCRYPTED_BYTES' });
    // A binary plist of ["beach", "Ünïcødé", "beach"], as Apple writes keywordsEnc.
    const keywords = Buffer.from(
      'YnBsaXN0MDCjAQIBVWJlYWNoZwDcAG4A7wBjAPgAZADpCAwSAAAAAAAAAQEAAAAAAAAAAwAAAAAAAAAAAAAAAAAAACE=',
      'base64',
    );
    const decoded = parseDescriptive(
      record({
        captionEnc: b64('  Sunset\u0007 '),
        keywordsEnc: { value: keywords.toString('base64'), type: 'ENCRYPTED_BYTES' },
        timeZoneNameEnc: b64('../etc'),
      }),
    );
    expect(decoded).toEqual({ caption: 'Sunset', keywords: ['beach', 'Ünïcødé'] });
    expect(parseDescriptive(record({ locationEnc: b64('not a plist'), keywordsEnc: { value: '%%' } }))).toEqual({});
  });

  it('names recorded albums with their folders', () => {
    const albums = parseAlbums(recorded('listing_albums.yml', 'CPLAlbum'));
    expect(albums.length).toBeGreaterThan(0);
    const split = splitAlbumPaths(albums.map((a) => a.name));
    expect(split.albums.length).toBeGreaterThan(0);
    expect(splitAlbumPaths(['Holidays', 'Trips/Paris', 'Trips/2024/Tokyo'])).toEqual({
      albums: ['Holidays', 'Paris', 'Tokyo'],
      albumFolders: { Paris: 'Trips', Tokyo: 'Trips/2024' },
    });
    expect(splitAlbumPaths(['Family'])).toEqual({ albums: ['Family'] });
  });
});
