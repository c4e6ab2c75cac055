/**
 * Deterministic resource bytes, produced on demand and by range: a small real file head (a decodable JPEG from the
 * fixtures generator, a PNG, or an ISO-BMFF/TIFF header for HEIC, MOV and RAW) followed by an AES-CTR keystream
 * filler up to the declared size. Nothing is stored, any byte range costs only what it covers, and the same key
 * always yields the same bytes.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { makeJpeg } from './jpeg.js';

/** `rendition`: one of iCloud's small JPEG renditions (thumbnail, poster frame): a whole JPEG of exactly its size. */
export type ContentKind = 'jpeg' | 'rendition' | 'heic' | 'mov' | 'png' | 'cr2' | 'dng';

export interface ContentSpec {
  /** Unique per resource version, e.g. "1:PrimarySync:42:resOriginalRes:0". */
  key: string;
  kind: ContentKind;
  size: number;
  /** Local wall-clock capture time 'YYYY-MM-DDTHH:MM:SS', written into JPEG EXIF. */
  capturedAt: string;
  /** Zone offset like '+02:00'. */
  offset: string;
}

const CHUNK = 256 * 1024;
const headCache = new Map<string, Buffer>();
const HEAD_CACHE_LIMIT = 512;

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/** An `mdat` header claiming the rest of the file, so MOV/HEIC sizes stay structurally consistent. */
function mdatHeader(remaining: number): Buffer {
  if (remaining < 0xffffffff) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(remaining, 0);
    header.write('mdat', 4, 'latin1');
    return header;
  }
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('mdat', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(remaining), 8);
  return header;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed), 0);
  return Buffer.concat([length, typed, crc]);
}

function tinyPng(seed: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  const raw = Buffer.alloc(4 * (1 + 4 * 3));
  for (let row = 0; row < 4; row++) {
    for (let i = 1; i < 13; i++) raw[row * 13 + i] = (seed * 31 + row * 17 + i * 7) & 255;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function seedOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}

function buildHead(spec: ContentSpec): Buffer {
  const seed = seedOf(spec.key);
  switch (spec.kind) {
    case 'jpeg':
      return makeJpeg({
        id: spec.key,
        seed,
        capturedAt: spec.capturedAt,
        offset: spec.offset,
        make: 'Apple',
        model: 'iPhone (simulated)',
      });
    case 'rendition':
      // Padded inside the file (COM segments), not after its end: a viewer reads it as the small picture it is.
      return makeJpeg({ id: spec.key, seed, capturedAt: spec.capturedAt, offset: spec.offset, size: spec.size });
    case 'png':
      return tinyPng(seed);
    case 'heic': {
      const ftyp = box(
        'ftyp',
        Buffer.concat([Buffer.from('heic', 'latin1'), Buffer.alloc(4), Buffer.from('mif1heic')]),
      );
      return Buffer.concat([ftyp, mdatHeader(spec.size - ftyp.length)]);
    }
    case 'mov': {
      const ftyp = box('ftyp', Buffer.concat([Buffer.from('qt  ', 'latin1'), Buffer.alloc(4), Buffer.from('qt  ')]));
      return Buffer.concat([ftyp, mdatHeader(spec.size - ftyp.length)]);
    }
    case 'cr2':
      // TIFF little-endian header with Canon's "CR" marker and version 2.0 at offset 8.
      return Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x10, 0x00, 0x00, 0x00, 0x43, 0x52, 0x02, 0x00, 0, 0, 0, 0]);
    case 'dng':
      return Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  }
}

export function contentHead(spec: ContentSpec): Buffer {
  const cacheKey = `${spec.key}|${spec.size}`;
  let head = headCache.get(cacheKey);
  if (!head) {
    head = buildHead(spec);
    if (head.length > spec.size) head = head.subarray(0, spec.size);
    if (headCache.size >= HEAD_CACHE_LIMIT) headCache.delete(headCache.keys().next().value as string);
    headCache.set(cacheKey, head);
  }
  return head;
}

/** Keystream bytes [from, from + length) of the filler for `key`; AES-CTR allows starting at any block. */
function filler(key: string, from: number, length: number): Buffer {
  const aesKey = createHash('sha256').update(`filler:${key}`).digest().subarray(0, 16);
  const block = Math.floor(from / 16);
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(block), 8);
  const skip = from - block * 16;
  const cipher = createCipheriv('aes-128-ctr', aesKey, iv);
  const out = cipher.update(Buffer.alloc(skip + length));
  return out.subarray(skip);
}

/** Bytes [start, end) of the resource, in chunks of at most 256 KiB. */
export function* contentChunks(spec: ContentSpec, start = 0, end = spec.size): Generator<Buffer> {
  const head = contentHead(spec);
  let position = Math.max(0, start);
  const stop = Math.min(end, spec.size);
  while (position < stop) {
    if (position < head.length) {
      const slice = head.subarray(position, Math.min(head.length, stop));
      position += slice.length;
      yield slice;
      continue;
    }
    const length = Math.min(CHUNK, stop - position);
    yield filler(spec.key, position - head.length, length);
    position += length;
  }
}

/** The whole resource in memory: for tests and small files only. */
export function contentBytes(spec: ContentSpec, start = 0, end = spec.size): Buffer {
  return Buffer.concat([...contentChunks(spec, start, end)]);
}

export function contentSha256(spec: ContentSpec): string {
  const hash = createHash('sha256');
  for (const chunk of contentChunks(spec)) hash.update(chunk);
  return hash.digest('hex');
}
