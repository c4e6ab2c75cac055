import type { Asset, AssetLocation } from '@lifeboat/plugin-api';
import { XMLBuilder } from 'fast-xml-parser';
import { captureTime } from './capture-time.js';

/** Everything a copy's sidecar says: the asset's metadata and which file of which asset the copy is. */
export interface SidecarInput {
  source: string;
  assetId: string;
  kind: string;
  /** The copied file's own name at the source (the resource's), kept as the original file name. */
  fileName: string;
  capturedAt?: string;
  timeZone?: string;
  favorite: boolean;
  hidden: boolean;
  albums: readonly string[];
  details: AssetDetails;
}

/** The asset's descriptive fields the catalog keeps for sidecars (see Asset in the plugin API). */
export type AssetDetails = Pick<Asset, 'folder' | 'title' | 'caption' | 'keywords' | 'location' | 'albumFolders'>;

/** Changes whenever what writeXmp writes changes for the same input: a new value rewrites every sidecar. */
export const XMP_WRITER_VERSION = 1;

/** Lifeboat's own namespace, for what no standard one holds (hidden, which asset of which source). */
export const LIFEBOAT_XMP_NS = 'urn:lifeboat:xmp:1.0/';

const NAMESPACES = {
  '@_xmlns:exif': 'http://ns.adobe.com/exif/1.0/',
  '@_xmlns:photoshop': 'http://ns.adobe.com/photoshop/1.0/',
  '@_xmlns:xmp': 'http://ns.adobe.com/xap/1.0/',
  '@_xmlns:xmpMM': 'http://ns.adobe.com/xap/1.0/mm/',
  '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  '@_xmlns:lr': 'http://ns.adobe.com/lightroom/1.0/',
  '@_xmlns:digiKam': 'http://www.digikam.org/ns/1.0/',
  '@_xmlns:lifeboat': LIFEBOAT_XMP_NS,
};

// The builder escapes &, <, >, quotes; it is the one place text becomes XML (fast-xml-parser, already a parser of
// record for XML in Node, so the unit tests read the output back with the same library's parser).
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: ' ',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * An XMP packet for one copy, in the namespaces photo applications read (exiftool, digiKam, Lightroom, darktable,
 * Immich): capture date with its offset, rating, title, caption, keywords, albums as hierarchical tags, GPS, and
 * Lifeboat's own fields. Deterministic: the same input gives the same bytes, so an unchanged sidecar hashes equal.
 */
export function writeXmp(input: SidecarInput): string {
  const d = input.details;
  const date = captureTime(input.capturedAt, input.timeZone);
  const tags = albumTags(input.albums, d.albumFolders ?? {});
  const description: Record<string, unknown> = {
    '@_rdf:about': '',
    ...NAMESPACES,
    ...(date ? { 'exif:DateTimeOriginal': date.local, 'photoshop:DateCreated': date.local } : {}),
    ...(input.favorite ? { 'xmp:Rating': 5 } : {}),
    ...(nonEmpty(d.title) ? { 'dc:title': alt(d.title) } : {}),
    ...(nonEmpty(d.caption) ? { 'dc:description': alt(d.caption) } : {}),
    ...(list(d.keywords).length > 0 ? { 'dc:subject': bag(list(d.keywords)) } : {}),
    ...(tags.lightroom.length > 0
      ? { 'lr:hierarchicalSubject': bag(tags.lightroom), 'digiKam:TagsList': seq(tags.digiKam) }
      : {}),
    ...gps(d.location),
    'xmpMM:PreservedFileName': clean(input.fileName),
    'lifeboat:Source': clean(input.source),
    'lifeboat:AssetId': clean(input.assetId),
    'lifeboat:Kind': clean(input.kind),
    'lifeboat:Hidden': input.hidden ? 'True' : 'False',
    ...(nonEmpty(d.folder) ? { 'lifeboat:Folder': clean(d.folder) } : {}),
    ...(input.albums.length > 0 ? { 'lifeboat:Albums': bag(input.albums.map(clean)) } : {}),
  };
  const body = builder.build({
    'x:xmpmeta': {
      '@_xmlns:x': 'adobe:ns:meta/',
      '@_x:xmptk': `Lifeboat XMP ${XMP_WRITER_VERSION}`,
      'rdf:RDF': { '@_xmlns:rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf:Description': description },
    },
  }) as string;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${body}<?xpacket end="w"?>\n`;
}

/** The albums as tags: `Albums|Trips|2024|Rome` (Lightroom, darktable) and `Albums/Trips/2024/Rome` (digiKam). */
function albumTags(albums: readonly string[], folders: Record<string, string>) {
  const lightroom: string[] = [];
  const digiKam: string[] = [];
  for (const album of albums) {
    const folder = typeof folders[album] === 'string' ? folders[album].split('/').filter((p) => p !== '') : [];
    const levels = ['Albums', ...folder, album].map(clean);
    // Each format's separator inside a name would add a level that is not there.
    lightroom.push(levels.map((l) => l.replaceAll('|', '-')).join('|'));
    digiKam.push(levels.map((l) => l.replaceAll('/', '-')).join('/'));
  }
  return { lightroom, digiKam };
}

/** XMP's GPS form: `DDD,MM.mmmmmmN` (degrees, decimal minutes, hemisphere); altitude as a rational in metres. */
function gps(location: AssetLocation | undefined): Record<string, unknown> {
  if (!location) return {};
  const { latitude, longitude, altitude } = location;
  if (!finiteIn(latitude, 90) || !finiteIn(longitude, 180)) return {};
  return {
    'exif:GPSVersionID': '2.2.0.0',
    'exif:GPSLatitude': degreesMinutes(latitude, 'N', 'S'),
    'exif:GPSLongitude': degreesMinutes(longitude, 'E', 'W'),
    ...(typeof altitude === 'number' && Number.isFinite(altitude)
      ? {
          'exif:GPSAltitude': `${Math.round(Math.abs(altitude) * 1000)}/1000`,
          'exif:GPSAltitudeRef': altitude < 0 ? 1 : 0,
        }
      : {}),
  };
}

function degreesMinutes(value: number, positive: string, negative: string): string {
  const abs = Math.abs(value);
  let degrees = Math.floor(abs);
  let minutes = Number(((abs - degrees) * 60).toFixed(6));
  if (minutes >= 60) {
    degrees += 1;
    minutes = 0;
  }
  return `${degrees},${minutes.toFixed(6)}${value < 0 ? negative : positive}`;
}

const finiteIn = (n: unknown, bound: number): n is number =>
  typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= bound;

const nonEmpty = (s: unknown): s is string => typeof s === 'string' && clean(s).trim() !== '';

const list = (values: unknown): string[] => (Array.isArray(values) ? values.filter(nonEmpty).map(clean) : []);

const alt = (text: string) => ({ 'rdf:Alt': { 'rdf:li': { '@_xml:lang': 'x-default', '#text': clean(text) } } });
const bag = (items: string[]) => ({ 'rdf:Bag': { 'rdf:li': items } });
const seq = (items: string[]) => ({ 'rdf:Seq': { 'rdf:li': items } });

/**
 * Text XML 1.0 can hold: control characters (except tab, newline, return), lone surrogates and U+FFFE/FFFF are
 * dropped. The source's text is untrusted; a sidecar must stay well-formed whatever it sends.
 */
function clean(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}
