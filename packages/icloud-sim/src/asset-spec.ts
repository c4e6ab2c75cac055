/**
 * One generated asset, derived purely from (seed, zone, index): nothing is stored, so a 100,000-asset library
 * costs nothing until a page of it is asked for. The first twelve indices are a fixed tour of the awkward cases
 * (Live Photo, RAW+JPEG, video, edited render, hostile and non-ASCII names, duplicates, hidden), so even a
 * 10-asset unit-test library shows them; later indices draw from a weighted mix.
 */
import { createHash } from 'node:crypto';
import type { ContentKind } from './content.js';
import { createRng, logUniform, type Rng } from './random.js';

export type AssetKind = 'photo' | 'heic' | 'live' | 'raw-pair' | 'raw' | 'video' | 'screenshot' | 'panorama';

/** Every resource field the simulator can serve (CloudKit `*Res` ASSETID fields). */
export type ResourceField =
  | 'resOriginalRes'
  | 'resOriginalAltRes'
  | 'resOriginalVidComplRes'
  | 'resJPEGMedRes'
  | 'resJPEGThumbRes'
  | 'resVidMedRes'
  | 'resVidSmallRes'
  | 'resJPEGFullRes';

export interface ResourceSpec {
  field: ResourceField;
  /** UTI, e.g. public.jpeg, public.heic, com.apple.quicktime-movie. */
  fileType: string;
  content: ContentKind;
  size: number;
  width: number;
  height: number;
  /** On the CPLAsset (edited render) rather than the CPLMaster. */
  onAsset: boolean;
}

export interface AddOptions {
  kind?: AssetKind;
  /** Size of the original in bytes (e.g. 2 GiB for a big-video benchmark). */
  size?: number;
  filename?: string;
  /** Capture time (ms); default: a random moment of the last year (some "old scans" much older). */
  assetDate?: number;
}

export interface AssetSpec {
  index: number;
  zoneName: string;
  /** CPLAsset recordName (uppercase UUID, as Apple's). */
  assetId: string;
  /** CPLMaster recordName (28-char base64 starting with 'A', as Apple's). */
  masterId: string;
  kind: AssetKind;
  filename: string;
  itemType: string;
  assetDate: number;
  addedDate: number;
  /** Seconds east of UTC at capture. */
  timeZoneOffset: number;
  isFavorite: boolean;
  isHidden: boolean;
  /** 3 = screenshot. */
  assetSubtypeV2: number;
  /** Video duration in seconds (0 for stills). */
  duration: number;
  /** Has an edited render (resJPEGFull) from the start. */
  edited: boolean;
  /** Master resources (original, alternate, Live Photo video, derivatives). */
  resources: ResourceSpec[];
}

const NEWEST = Date.UTC(2025, 5, 1, 12, 0, 0);
const HOUR = 3_600_000;
const OFFSETS = [-28_800, -18_000, -10_800, 0, 3_600, 7_200, 19_800, 32_400, 36_000, 45_900];
const NON_ASCII = ['Café déjà vu.jpg', '写真_東京.JPG', 'Ünïcødé Straße.heic', 'Ελληνικά 😀.jpg', 'Ａｂｃ全角.jpeg'];
const HOSTILE = [
  '../../x.jpg',
  'a\u0000b.jpg',
  'CON.jpg',
  'NUL',
  'dir/with/slashes.jpg',
  'back\\slash.jpg',
  'trailing dot.jpg.',
  ' leading space.jpg',
  'colon:star*?.jpg',
  `${'long'.repeat(80)}.jpg`,
];

interface Plan {
  kind: AssetKind;
  name?: string;
  favorite?: boolean;
  hidden?: boolean;
  edited?: boolean;
}

/** Indices 0..11: one of each awkward case. */
const TOUR: Plan[] = [
  { kind: 'photo', favorite: true },
  { kind: 'live' },
  { kind: 'raw-pair' },
  { kind: 'video' },
  { kind: 'photo', edited: true },
  { kind: 'photo', name: '../../x.jpg' },
  { kind: 'photo', name: 'Café déjà vu 写真.jpg' },
  { kind: 'photo', name: 'IMG_0001.JPG' }, // same name as index 0, different bytes
  { kind: 'screenshot' },
  { kind: 'photo', name: 'CON.jpg' },
  { kind: 'photo', name: 'a\u0000b.jpg' },
  { kind: 'heic', hidden: true },
];

export function hashSeed(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join(':')).digest().readUInt32BE(0);
}

function ids(seed: number, zoneName: string, index: number): { assetId: string; masterId: string } {
  const digest = createHash('sha256').update(`${seed}:${zoneName}:${index}`).digest();
  const master = Buffer.concat([Buffer.from([0x01]), digest.subarray(0, 20)]);
  const hex = digest.subarray(12, 28).toString('hex').toUpperCase();
  const assetId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return { assetId, masterId: master.toString('base64') };
}

function drawPlan(rng: Rng): Plan {
  const r = rng.next();
  const kind: AssetKind =
    r < 0.33
      ? 'photo'
      : r < 0.58
        ? 'heic'
        : r < 0.73
          ? 'live'
          : r < 0.83
            ? 'video'
            : r < 0.87
              ? 'raw-pair'
              : r < 0.89
                ? 'raw'
                : r < 0.95
                  ? 'screenshot'
                  : 'panorama';
  const plan: Plan = { kind, favorite: rng.chance(0.05), hidden: rng.chance(0.01), edited: rng.chance(0.08) };
  const special = rng.next();
  if (kind === 'photo' && special < 0.01) plan.name = rng.pick(NON_ASCII);
  else if (kind === 'photo' && special < 0.015) plan.name = rng.pick(HOSTILE);
  else if (kind === 'photo' && special < 0.03) plan.name = 'IMG_0001.JPG';
  return plan;
}

const EXT: Record<AssetKind, string> = {
  photo: 'JPG',
  heic: 'HEIC',
  live: 'HEIC',
  'raw-pair': 'CR2',
  raw: 'DNG',
  video: 'MOV',
  screenshot: 'PNG',
  panorama: 'JPG',
};

const ITEM_TYPE: Record<AssetKind, [string, ContentKind]> = {
  photo: ['public.jpeg', 'jpeg'],
  heic: ['public.heic', 'heic'],
  live: ['public.heic', 'heic'],
  'raw-pair': ['com.canon.cr2-raw-image', 'cr2'],
  raw: ['com.adobe.raw-image', 'dng'],
  video: ['com.apple.quicktime-movie', 'mov'],
  screenshot: ['public.png', 'png'],
  panorama: ['public.jpeg', 'jpeg'],
};

/** Sizes are kept small by default (tens to hundreds of KiB) so 2,000-asset end-to-end runs stay quick; scale up with sizeScale. */
function resourcesFor(kind: AssetKind, rng: Rng, scale: number, originalSize?: number): ResourceSpec[] {
  const s = (min: number, max: number) => Math.max(16_384, Math.round(logUniform(rng, min, max) * scale));
  const [fileType, content] = ITEM_TYPE[kind];
  const wide = kind === 'panorama';
  const [width, height] = kind === 'video' ? [1920, 1080] : wide ? [12_000, 3_000] : [4032, 3024];
  const originalRange: Record<AssetKind, [number, number]> = {
    photo: [40_000, 400_000],
    heic: [30_000, 250_000],
    live: [30_000, 250_000],
    'raw-pair': [300_000, 900_000],
    raw: [250_000, 800_000],
    video: [200_000, 3_000_000],
    screenshot: [20_000, 150_000],
    panorama: [200_000, 800_000],
  };
  const [min, max] = originalRange[kind];
  const res = (
    field: ResourceField,
    type: string,
    c: ContentKind,
    size: number,
    w: number,
    h: number,
  ): ResourceSpec => ({
    field,
    fileType: type,
    content: c,
    size,
    width: w,
    height: h,
    onAsset: false,
  });
  const out = [res('resOriginalRes', fileType, content, originalSize ?? s(min, max), width, height)];
  if (kind === 'raw-pair') out.push(res('resOriginalAltRes', 'public.jpeg', 'jpeg', s(40_000, 300_000), width, height));
  if (kind === 'live') {
    out.push(res('resOriginalVidComplRes', 'com.apple.quicktime-movie', 'mov', s(60_000, 500_000), 1440, 1080));
  }
  if (kind === 'video' || kind === 'live') {
    out.push(res('resVidMedRes', 'com.apple.quicktime-movie', 'mov', s(20_000, 120_000), 1280, 720));
    out.push(res('resVidSmallRes', 'com.apple.quicktime-movie', 'mov', 16_384, 640, 360));
  }
  // The small renditions iCloud.com shows (a video's are its poster frame): real JPEGs, for previews.
  out.push(res('resJPEGMedRes', 'public.jpeg', 'rendition', s(20_000, 60_000), 1536, 1152));
  out.push(res('resJPEGThumbRes', 'public.jpeg', 'rendition', 16_384, 360, 270));
  return out;
}

export interface GenerateOptions {
  seed: number;
  zoneName: string;
  index: number;
  sizeScale: number;
  /** For assets added after generation: when, and what. */
  added?: { at: number; options: AddOptions };
}

export function generateAsset(options: GenerateOptions): AssetSpec {
  const { seed, zoneName, index, sizeScale, added } = options;
  const rng = createRng(hashSeed(seed, zoneName, index));
  const plan: Plan =
    added !== undefined
      ? {
          kind: added.options.kind ?? drawPlan(rng).kind,
          ...(added.options.filename ? { name: added.options.filename } : {}),
        }
      : index < TOUR.length
        ? TOUR[index]!
        : drawPlan(rng);
  const number = (index % 9999) + 1; // IMG_9999 rolls over to IMG_0001: real duplicate names
  const filename = plan.name ?? `IMG_${String(number).padStart(4, '0')}.${EXT[plan.kind]}`;
  let assetDate: number;
  let addedDate: number;
  if (added) {
    // New items: mostly fresh captures, sometimes an old scan imported today.
    assetDate =
      added.options.assetDate ?? added.at - (rng.chance(0.2) ? rng.int(400, 5000) * 24 * HOUR : rng.int(1, 48) * HOUR);
    addedDate = added.at;
  } else {
    // Newest first: one asset per hour going back (with jitter), so rank 0 is the newest capture.
    assetDate = NEWEST - index * HOUR - rng.int(0, 50) * 60_000;
    addedDate = rng.chance(0.05) ? NEWEST - rng.int(0, index + 1) * HOUR : assetDate + rng.int(5, 600) * 1000;
  }
  const [itemType] = ITEM_TYPE[plan.kind];
  const resources = resourcesFor(plan.kind, rng, sizeScale, added?.options.size);
  return {
    index,
    zoneName,
    ...ids(seed, zoneName, index),
    kind: plan.kind,
    filename,
    itemType,
    assetDate,
    addedDate,
    timeZoneOffset: rng.pick(OFFSETS),
    isFavorite: plan.favorite ?? false,
    isHidden: plan.hidden ?? false,
    assetSubtypeV2: plan.kind === 'screenshot' ? 3 : plan.kind === 'live' ? 2 : 0,
    duration: plan.kind === 'video' ? rng.int(2, 90) : 0,
    edited: plan.edited ?? false,
    resources,
  };
}

/**
 * The edited render (resJPEGFull) of a given version; its size varies with the version so edits are visible.
 * Edits of HEIC photos are sometimes rendered as HEIC (newer iOS versions do), otherwise as JPEG.
 */
export function editedRender(spec: AssetSpec, version: number): ResourceSpec {
  const rng = createRng(hashSeed('edit', spec.assetId, version));
  const original = spec.resources[0]!;
  const heic = original.fileType === 'public.heic' && rng.chance(0.5);
  return {
    field: 'resJPEGFullRes',
    fileType: heic ? 'public.heic' : 'public.jpeg',
    content: heic ? 'heic' : 'jpeg',
    size: Math.max(16_384, Math.round(original.size * (0.5 + rng.next() * 0.4))),
    width: original.width,
    height: original.height,
    onAsset: true,
  };
}

/** 'YYYY-MM-DDTHH:MM:SS' local time and '+HH:MM' for a timestamp and an offset in seconds. */
export function localTime(ms: number, offsetSeconds: number): { capturedAt: string; offset: string } {
  const local = new Date(ms + offsetSeconds * 1000).toISOString().slice(0, 19);
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const offset = `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
  return { capturedAt: local, offset };
}
