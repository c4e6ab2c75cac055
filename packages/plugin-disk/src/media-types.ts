/** Photo and video file extensions the folder source picks up by default, with their media types. */

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  heic: 'image/heic',
  heif: 'image/heif',
  png: 'image/png',
  gif: 'image/gif',
  tiff: 'image/tiff',
  tif: 'image/tiff',
  dng: 'image/x-adobe-dng',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  nef: 'image/x-nikon-nef',
  arw: 'image/x-sony-arw',
  orf: 'image/x-olympus-orf',
  rw2: 'image/x-panasonic-rw2',
  raf: 'image/x-fuji-raf',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  avi: 'video/x-msvideo',
  '3gp': 'video/3gpp',
  webp: 'image/webp',
};

export const DEFAULT_INCLUDE: readonly string[] = Object.keys(MEDIA_TYPES);

/** Lowercase extension without the dot (`IMG_1.JPG` -> `jpg`), or '' when there is none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export function mediaTypeOf(extension: string): string | undefined {
  return MEDIA_TYPES[extension];
}
