import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { captureTime } from './capture-time.js';
import { type SidecarInput, writeXmp } from './xmp.js';

const base: SidecarInput = {
  source: 'photos',
  assetId: 'A1',
  kind: 'original',
  fileName: 'IMG_0001.HEIC',
  capturedAt: '2019-05-04T12:30:00+02:00',
  favorite: false,
  hidden: false,
  albums: [],
  details: {},
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
function description(xml: string): Record<string, unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML, walked by the paths the test knows
  const doc = parser.parse(xml) as Record<string, any>;
  return doc['x:xmpmeta']['rdf:RDF']['rdf:Description'];
}

describe('writeXmp', () => {
  it('writes every field in its standard namespace', () => {
    const xml = writeXmp({
      ...base,
      favorite: true,
      hidden: true,
      albums: ['Family', 'Rome'],
      details: {
        title: 'Sunset',
        caption: 'On the bridge',
        keywords: ['sea', 'sun'],
        location: { latitude: 48.8566, longitude: -2.35, altitude: -3.5 },
        albumFolders: { Rome: 'Trips/2024' },
        folder: 'Trip 2024/Day 1',
      },
    });
    const d = description(xml);
    expect(d['exif:DateTimeOriginal']).toBe('2019-05-04T12:30:00+02:00');
    expect(d['photoshop:DateCreated']).toBe('2019-05-04T12:30:00+02:00');
    expect(d['xmp:Rating']).toBe('5');
    expect(d['dc:title']).toEqual({ 'rdf:Alt': { 'rdf:li': { '@_xml:lang': 'x-default', '#text': 'Sunset' } } });
    expect(d['dc:description']).toMatchObject({ 'rdf:Alt': { 'rdf:li': { '#text': 'On the bridge' } } });
    expect(d['dc:subject']).toEqual({ 'rdf:Bag': { 'rdf:li': ['sea', 'sun'] } });
    expect(d['lr:hierarchicalSubject']).toEqual({
      'rdf:Bag': { 'rdf:li': ['Albums|Family', 'Albums|Trips|2024|Rome'] },
    });
    expect(d['digiKam:TagsList']).toEqual({ 'rdf:Seq': { 'rdf:li': ['Albums/Family', 'Albums/Trips/2024/Rome'] } });
    expect(d['exif:GPSLatitude']).toBe('48,51.396000N');
    expect(d['exif:GPSLongitude']).toBe('2,21.000000W');
    expect(d['exif:GPSAltitude']).toBe('3500/1000');
    expect(d['exif:GPSAltitudeRef']).toBe('1');
    expect(d['xmpMM:PreservedFileName']).toBe('IMG_0001.HEIC');
    expect(d['lifeboat:Hidden']).toBe('True');
    expect(d['lifeboat:AssetId']).toBe('A1');
    expect(d['lifeboat:Folder']).toBe('Trip 2024/Day 1');
  });

  it('leaves out what is not known, and a photo that is not a favourite has no rating', () => {
    const d = description(writeXmp({ ...base, capturedAt: undefined }));
    for (const field of ['exif:DateTimeOriginal', 'xmp:Rating', 'dc:title', 'dc:subject', 'exif:GPSLatitude'])
      expect(d[field]).toBeUndefined();
    expect(d['lifeboat:Hidden']).toBe('False');
  });

  it('escapes markup and drops characters XML cannot hold, so hostile text stays text', () => {
    const hostile = 'a & b <script>"x"</script> \u0001\uD800 ]]>';
    const xml = writeXmp({
      ...base,
      fileName: hostile,
      albums: [hostile],
      details: { caption: hostile, keywords: [hostile] },
    });
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    const d = description(xml);
    const kept = 'a & b <script>"x"</script>  ]]>';
    expect(d['xmpMM:PreservedFileName']).toBe(kept);
    expect(d['dc:description']).toMatchObject({ 'rdf:Alt': { 'rdf:li': { '#text': kept } } });
    expect(d['dc:subject']).toEqual({ 'rdf:Bag': { 'rdf:li': kept } });
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const input = { ...base, albums: ['B', 'A'], details: { keywords: ['x'] } };
    expect(writeXmp(input)).toBe(writeXmp(structuredClone(input)));
    expect(writeXmp(input)).not.toBe(writeXmp({ ...input, favorite: true }));
  });
});

describe('captureTime', () => {
  it('takes the offset the date carries', () => {
    const t = captureTime('2019-05-04T12:30:00+02:00', 'America/New_York')!;
    expect(t.instant.toISOString()).toBe('2019-05-04T10:30:00.000Z');
    expect(t.local).toBe('2019-05-04T12:30:00+02:00');
  });

  it("uses the zone's offset at that date (summer and winter differ) when the date has none", () => {
    expect(captureTime('2019-07-01T12:00:00', 'Europe/Paris')!.local).toBe('2019-07-01T12:00:00+02:00');
    expect(captureTime('2019-01-01T12:00:00', 'Europe/Paris')!.instant.toISOString()).toBe('2019-01-01T11:00:00.000Z');
    expect(captureTime('2019-01-01T12:00:00', 'Asia/Kolkata')!.local).toBe('2019-01-01T12:00:00+05:30');
  });

  it("falls back to this machine's zone, and says the offset is not known", () => {
    const t = captureTime('2019-01-01T12:00:00', 'Not/AZone')!;
    expect(t.zoned).toBe(false);
    expect(t.local).toBe('2019-01-01T12:00:00');
    expect(t.instant.getTime()).toBe(new Date(2019, 0, 1, 12).getTime());
    expect(captureTime('yesterday')).toBeUndefined();
    expect(captureTime(undefined)).toBeUndefined();
  });
});
