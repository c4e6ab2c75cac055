/**
 * File names from iCloud are untrusted (docs/architecture.md, invariant 6). Core turns them into safe keys; here they
 * are made fit to show and to carry: no control characters (NUL included), no path separators, bounded length, and
 * still recognisable (`../../x.jpg` becomes `.._.._x.jpg`, not `unnamed`).
 */

const MAX_NAME_BYTES = 255;

/** UTI → preferred extension (upper case, as Apple's own exports use) and media type. */
const TYPES: Record<string, { ext: string; media: string }> = {
  'public.jpeg': { ext: 'JPG', media: 'image/jpeg' },
  'public.heic': { ext: 'HEIC', media: 'image/heic' },
  'public.heif': { ext: 'HEIF', media: 'image/heif' },
  'public.png': { ext: 'PNG', media: 'image/png' },
  'com.compuserve.gif': { ext: 'GIF', media: 'image/gif' },
  'public.tiff': { ext: 'TIFF', media: 'image/tiff' },
  'org.webmproject.webp': { ext: 'WEBP', media: 'image/webp' },
  'com.apple.quicktime-movie': { ext: 'MOV', media: 'video/quicktime' },
  'public.mpeg-4': { ext: 'MP4', media: 'video/mp4' },
  'com.apple.m4v-video': { ext: 'M4V', media: 'video/x-m4v' },
  'public.avi': { ext: 'AVI', media: 'video/x-msvideo' },
  'public.3gpp': { ext: '3GP', media: 'video/3gpp' },
  'com.adobe.raw-image': { ext: 'DNG', media: 'image/x-adobe-dng' },
  'com.canon.cr2-raw-image': { ext: 'CR2', media: 'image/x-canon-cr2' },
  'com.canon.cr3-raw-image': { ext: 'CR3', media: 'image/x-canon-cr3' },
  'com.canon.crw-raw-image': { ext: 'CRW', media: 'image/x-canon-crw' },
  'com.nikon.raw-image': { ext: 'NEF', media: 'image/x-nikon-nef' },
  'com.nikon.nrw-raw-image': { ext: 'NRW', media: 'image/x-nikon-nrw' },
  'com.sony.arw-raw-image': { ext: 'ARW', media: 'image/x-sony-arw' },
  'com.fuji.raw-image': { ext: 'RAF', media: 'image/x-fuji-raf' },
  'com.olympus.raw-image': { ext: 'ORF', media: 'image/x-olympus-orf' },
  'com.olympus.or-raw-image': { ext: 'ORF', media: 'image/x-olympus-orf' },
  'com.panasonic.rw2-raw-image': { ext: 'RW2', media: 'image/x-panasonic-rw2' },
  'com.pentax.raw-image': { ext: 'PEF', media: 'image/x-pentax-pef' },
};

export function extensionForType(uti: string | undefined): string | undefined {
  return uti ? TYPES[uti]?.ext : undefined;
}

export function mediaTypeFor(uti: string | undefined): string | undefined {
  return uti ? TYPES[uti]?.media : undefined;
}

export function isVideoType(uti: string | undefined): boolean {
  return uti !== undefined && /movie|video|mpeg-4|avi|3gpp/i.test(uti);
}

export function isRawType(uti: string | undefined): boolean {
  return uti !== undefined && /raw-image/i.test(uti);
}

/** Makes an untrusted name fit to show: see the file comment. Empty or unusable → `fallback`. */
export function displayName(name: string, fallback: string): string {
  let s = name.normalize('NFC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '_');
  s = s.replace(/[/\\]/g, '_').trim();
  if (s === '' || s === '.' || s === '..') s = fallback;
  return truncateUtf8(s, MAX_NAME_BYTES);
}

/** Splits `IMG_1.JPG` into `IMG_1` and `.JPG`; a leading dot is part of the stem. */
export function splitName(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** icloudpd's rule for a record without a name: the record name's first 12 word characters, plus an extension. */
export function fallbackName(recordName: string, uti: string | undefined): string {
  const stem = recordName.replace(/[^A-Za-z0-9]/g, '_').slice(0, 12) || 'photo';
  return `${stem}.${extensionForType(uti) ?? 'unknown'}`;
}

/** `stem` + extension of `uti` (or `fallbackExt`), e.g. the Live Photo video `IMG_1234.MOV` of `IMG_1234.HEIC`. */
export function companionName(stem: string, uti: string | undefined, fallbackExt: string, suffix = ''): string {
  const ext = extensionForType(uti) ?? fallbackExt.replace(/^\./, '');
  return `${stem}${suffix}${ext ? `.${ext}` : ''}`;
}

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const { stem, ext } = splitName(name);
  const safeExt = Buffer.byteLength(ext) > 32 ? '' : ext;
  const budget = maxBytes - Buffer.byteLength(safeExt);
  let out = '';
  for (const ch of stem) {
    if (Buffer.byteLength(out + ch) > budget) break;
    out += ch;
  }
  return out + safeExt;
}
