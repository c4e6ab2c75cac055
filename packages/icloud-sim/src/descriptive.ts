/**
 * What a generated asset says beyond its files: caption, keywords, place and time-zone name, in the shares the
 * recorded listings show (listing_photos_raw_alt.yml: about 85 of 100 photos carry `locationEnc`; captions,
 * keywords and `timeZoneNameEnc` are rare). Derived from the asset's own hash, like its orientation, so the rest
 * of the generated library is unchanged. The first asset carries all of them, so even a tiny library shows each.
 */
import createPlist from 'bplist-creator';
import { type AssetSpec, hashSeed } from './asset-spec.js';
import { createRng } from './random.js';

export interface Place {
  latitude: number;
  longitude: number;
  altitude: number;
}

export interface Descriptive {
  caption?: string;
  keywords?: string[];
  location?: Place;
  timeZoneName?: string;
}

/** A city for each generated time-zone offset (asset-spec.ts OFFSETS), so the place and the zone agree. */
const CITIES: Record<number, { zone: string; lat: number; lon: number; alt: number }> = {
  [-28_800]: { zone: 'America/Los_Angeles', lat: 34.0522, lon: -118.2437, alt: 89 },
  [-18_000]: { zone: 'America/New_York', lat: 40.7128, lon: -74.006, alt: 10 },
  [-10_800]: { zone: 'America/Sao_Paulo', lat: -23.5505, lon: -46.6333, alt: 760 },
  0: { zone: 'Europe/London', lat: 51.5074, lon: -0.1278, alt: 11 },
  3600: { zone: 'Europe/Paris', lat: 48.8566, lon: 2.3522, alt: 35 },
  7200: { zone: 'Europe/Athens', lat: 37.9838, lon: 23.7275, alt: 70 },
  19800: { zone: 'Asia/Kolkata', lat: 22.5726, lon: 88.3639, alt: 9 },
  32400: { zone: 'Asia/Tokyo', lat: 35.6762, lon: 139.6503, alt: 40 },
  36000: { zone: 'Australia/Sydney', lat: -33.8688, lon: 151.2093, alt: 58 },
  45900: { zone: 'Pacific/Chatham', lat: -43.9535, lon: -176.5597, alt: 30 },
};

const CAPTIONS = ['Sunset from the terrace', 'Grandma’s 80th birthday 🎂', 'First day of school', 'Café au lait'];
const KEYWORDS = ['family', 'beach', 'birthday', 'Ünïcødé', 'holiday', 'food', 'mountains'];

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function descriptiveOf(spec: AssetSpec): Descriptive {
  const rng = createRng(hashSeed('about', spec.assetId));
  const first = spec.index === 0;
  const city = CITIES[spec.timeZoneOffset];
  const out: Descriptive = {};
  const screenshot = spec.kind === 'screenshot';
  if (city && !screenshot && (first || rng.chance(0.8))) {
    out.location = {
      latitude: round(city.lat + (rng.next() - 0.5) * 0.1, 6),
      longitude: round(city.lon + (rng.next() - 0.5) * 0.1, 6),
      altitude: round(city.alt + rng.next() * 20, 2),
    };
  }
  if (first || rng.chance(0.05)) out.caption = CAPTIONS[first ? 1 : rng.int(0, CAPTIONS.length - 1)];
  if (first || rng.chance(0.04)) {
    const a = rng.int(0, KEYWORDS.length - 1);
    out.keywords = first ? ['family', 'Ünïcødé'] : [...new Set([KEYWORDS[a]!, rng.pick(KEYWORDS)])];
  }
  if (city && (first || rng.chance(0.1))) out.timeZoneName = city.zone;
  return out;
}

/** Apple's `locationEnc` property list (recorded: course, speed, alt, lon, vertAcc, lat, timestamp, horzAcc). */
export function locationPlist(place: Place): Buffer {
  return createPlist({
    course: -1.5,
    speed: 0.25,
    // Reals always, as Apple writes them, even where a value happens to be whole.
    alt: new createPlist.Real(place.altitude),
    lon: new createPlist.Real(place.longitude),
    vertAcc: 3.5,
    lat: new createPlist.Real(place.latitude),
    timestamp: new Date(Date.UTC(2001, 0, 1)),
    horzAcc: 4.5,
  });
}

/** Apple's `keywordsEnc` property list: an array of strings (recorded: an empty one). */
export function keywordsPlist(keywords: readonly string[]): Buffer {
  return createPlist([...keywords]);
}
