/**
 * Builds a tiny JPEG holding only an EXIF APP1 segment (no image data), so tests control capture dates exactly
 * without binary fixtures. Layout: SOI, APP1 `Exif\0\0` + little-endian TIFF (IFD0 -> Exif IFD), EOI.
 */

/** EXIF tag numbers used by the tests. */
export const Tag = {
  Make: 0x010f,
  Model: 0x0110,
  ExifIfdPointer: 0x8769,
  DateTimeOriginal: 0x9003,
  CreateDate: 0x9004,
  OffsetTimeOriginal: 0x9011,
  OffsetTimeDigitized: 0x9012,
} as const;

export interface ExifJpegTags {
  /** ASCII tags of IFD0 (Make, Model). */
  ifd0?: Record<number, string>;
  /** ASCII tags of the Exif IFD (dates, offsets). */
  exif?: Record<number, string>;
}

const ASCII = 2;
const LONG = 4;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Bytes of an ASCII value (NUL-terminated), or undefined for the Exif IFD pointer. */
  data?: Buffer;
}

function asciiEntries(tags: Record<number, string> = {}): Entry[] {
  return Object.entries(tags).map(([tag, text]) => {
    const data = Buffer.from(`${text}\0`, 'latin1');
    return { tag: Number(tag), type: ASCII, count: data.length, data };
  });
}

/** Serialises one IFD at `start` (offsets are relative to the TIFF header); values over 4 bytes follow it. */
function writeIfd(entries: Entry[], start: number, pointerValue = 0): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const tableSize = 2 + sorted.length * 12 + 4;
  const dataSize = sorted.reduce(
    (n, e) => n + (e.data && e.data.length > 4 ? e.data.length + (e.data.length % 2) : 0),
    0,
  );
  const out = Buffer.alloc(tableSize + dataSize);
  out.writeUInt16LE(sorted.length, 0);
  let dataOffset = tableSize;
  sorted.forEach((e, i) => {
    const at = 2 + i * 12;
    out.writeUInt16LE(e.tag, at);
    out.writeUInt16LE(e.type, at + 2);
    out.writeUInt32LE(e.count, at + 4);
    if (!e.data) {
      out.writeUInt32LE(pointerValue, at + 8);
    } else if (e.data.length <= 4) {
      e.data.copy(out, at + 8);
    } else {
      out.writeUInt32LE(start + dataOffset, at + 8);
      e.data.copy(out, dataOffset);
      dataOffset += e.data.length + (e.data.length % 2);
    }
  });
  out.writeUInt32LE(0, tableSize - 4); // no next IFD
  return out;
}

/** The TIFF structure (header + IFD0 + Exif IFD) as found inside an APP1 segment. */
export function buildTiff(tags: ExifJpegTags): Buffer {
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  const exifEntries = asciiEntries(tags.exif);
  const ifd0Entries = asciiEntries(tags.ifd0);
  if (exifEntries.length > 0) ifd0Entries.push({ tag: Tag.ExifIfdPointer, type: LONG, count: 1 });
  // IFD0's size does not depend on the pointer value, so lay it out once to learn where the Exif IFD starts.
  const exifStart = 8 + writeIfd(ifd0Entries, 8).length;
  const ifd0 = writeIfd(ifd0Entries, 8, exifStart);
  const exif = exifEntries.length > 0 ? writeIfd(exifEntries, exifStart) : Buffer.alloc(0);
  return Buffer.concat([header, ifd0, exif]);
}

/** A JPEG file with the given EXIF tags and no image data. */
export function buildExifJpeg(tags: ExifJpegTags): Buffer {
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), buildTiff(tags)]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2); // the length field counts itself
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, payload, Buffer.from([0xff, 0xd9])]);
}

/** A JPEG whose APP1 segment claims EXIF but holds garbage (a broken TIFF header and offsets). */
export function buildCorruptExifJpeg(): Buffer {
  const payload = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]),
  ]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, payload, Buffer.from([0xff, 0xd9])]);
}
