import { open } from 'node:fs/promises';
import exifr from 'exifr';

/**
 * Capture date and camera from a photo's EXIF, read from the first bytes of the file only. exifr cannot read
 * QuickTime/MP4 metadata, so videos (and formats it does not parse) fall back to the file's mtime upstream.
 */

export interface CaptureInfo {
  /** Wall clock as the camera recorded it, with its offset when the camera wrote one. */
  capturedAt?: string;
  make?: string;
  model?: string;
}

/** Formats exifr parses (TIFF-based raws included). Others are not even opened. */
const EXIF_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'heic',
  'heif',
  'tif',
  'tiff',
  'dng',
  'cr2',
  'nef',
  'arw',
  'orf',
  'rw2',
  'png',
]);

/** JPEG's EXIF segment is at most 64 KiB and comes first; HEIC's is usually within the first few KiB too. */
const HEAD_BYTES = 128 * 1024;

const EXIFR_OPTIONS = {
  pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTimeDigitized', 'Make', 'Model'],
  // Keep dates as the raw strings: reviving them would read the wall clock in this machine's time zone.
  reviveValues: false,
  translateValues: false,
  silentErrors: true,
};

export function hasReadableExif(extension: string): boolean {
  return EXIF_EXTENSIONS.has(extension);
}

/**
 * Never throws: a corrupt or unreadable header only means no EXIF date (the caller falls back to mtime).
 * Reads the head itself rather than giving exifr the path: one bounded read, and the handle is always closed.
 */
export async function readCaptureInfo(path: string | Buffer): Promise<CaptureInfo | undefined> {
  try {
    const head = await readHead(path, HEAD_BYTES);
    const tags: unknown = await exifr.parse(head, EXIFR_OPTIONS);
    return tags && typeof tags === 'object' ? captureInfoFromTags(tags as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function readHead(path: string | Buffer, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Pairs each date with its own offset tag: DateTimeOriginal/OffsetTimeOriginal, CreateDate/OffsetTimeDigitized. */
export function captureInfoFromTags(tags: Record<string, unknown>): CaptureInfo {
  const capturedAt =
    exifDateToIso(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ??
    exifDateToIso(tags.CreateDate, tags.OffsetTimeDigitized);
  const info: CaptureInfo = {};
  if (capturedAt) info.capturedAt = capturedAt;
  const make = cleanText(tags.Make);
  const model = cleanText(tags.Model);
  if (make) info.make = make;
  if (model) info.model = model;
  return info;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^[+-](\d{2}):(\d{2})$/;

/** `2019:05:04 12:30:00` + `+02:00` -> `2019-05-04T12:30:00+02:00`; placeholder dates (`0000:00:00`) -> undefined. */
export function exifDateToIso(date: unknown, offset: unknown): string | undefined {
  if (typeof date !== 'string') return undefined;
  const m = EXIF_DATE.exec(date.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const valid =
    year >= 1800 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) return undefined;
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const zone = typeof offset === 'string' ? offset.trim() : '';
  const z = OFFSET.exec(zone);
  return z && Number(z[1]) <= 14 && Number(z[2]) <= 59 ? `${wall}${zone}` : wall;
}

function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\0/g, '').trim();
  return text === '' ? undefined : text;
}
