import { ConfigError, type Settings } from '@lifeboat/plugin-api';
import type { IcloudDomain } from './auth/endpoints.js';

/** What of the library is backed up. Originals always; the rest per these flags. */
export interface IncludeOptions {
  liveVideos: boolean;
  raw: boolean;
  edited: boolean;
  hidden: boolean;
  recentlyDeleted: boolean;
}

export const DEFAULT_INCLUDE: IncludeOptions = {
  liveVideos: true,
  raw: true,
  edited: true,
  hidden: true,
  // On: Recently Deleted is where the last chance to rescue a photo lives (core reports these as deleted).
  recentlyDeleted: true,
};

export type LibraryChoice = 'primary' | 'shared' | 'both';

export interface IcloudSourceOptions {
  appleId: string;
  domain: IcloudDomain;
  library: LibraryChoice;
  include: IncludeOptions;
  /** Upper bound of CloudKit requests one listing has in flight (it adapts below it when Apple throttles). */
  listingConcurrency: number;
  /** Overrides of Apple's auth and setup base URLs: for testing against the simulated iCloud. */
  authUrl?: string;
  setupUrl?: string;
}

/**
 * Reads the settings declared in package.json. Core validates them against the manifest's schema, but a factory
 * may also be called directly (tests, other hosts), so every value is checked again here.
 */
export function icloudSourceOptions(settings: Settings): IcloudSourceOptions {
  const appleId = settings.appleId;
  if (typeof appleId !== 'string' || appleId.trim() === '' || appleId.length > 320) {
    throw new ConfigError('Setting "appleId" must be your Apple Account email or phone number', {
      hint: 'set appleId, e.g. --set appleId=you@example.com',
    });
  }
  const domain = oneOf(settings, 'domain', ['com', 'cn'] as const) ?? 'com';
  const library = oneOf(settings, 'library', ['primary', 'shared', 'both'] as const) ?? 'primary';
  const options: IcloudSourceOptions = {
    appleId: appleId.trim(),
    domain,
    library,
    include: readInclude(settings.include),
    listingConcurrency: readConcurrency(settings.listingConcurrency),
  };
  for (const key of ['authUrl', 'setupUrl'] as const) {
    const value = settings[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) {
      throw new ConfigError(`Setting "${key}" must be an http(s) URL`, { hint: 'leave it unset to use Apple' });
    }
    try {
      new URL(value);
    } catch {
      throw new ConfigError(`Setting "${key}" is not a valid URL`);
    }
    options[key] = value;
  }
  return options;
}

export const DEFAULT_LISTING_CONCURRENCY = 4;
const MAX_LISTING_CONCURRENCY = 16;

function readConcurrency(value: unknown): number {
  if (value === undefined) return DEFAULT_LISTING_CONCURRENCY;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LISTING_CONCURRENCY) {
    throw new ConfigError(`Setting "listingConcurrency" must be a whole number from 1 to ${MAX_LISTING_CONCURRENCY}`, {
      hint: `leave it unset for ${DEFAULT_LISTING_CONCURRENCY}; lower it if iCloud keeps answering 503`,
    });
  }
  return n;
}

const INCLUDE_KEYS = Object.keys(DEFAULT_INCLUDE) as (keyof IncludeOptions)[];

/**
 * `include` as an object of flags, or the flags that are on as a list (`["liveVideos","raw"]`) or a
 * comma-separated string (`liveVideos,raw`, from the command line; `none` for originals only).
 */
export function readInclude(value: unknown): IncludeOptions {
  if (value === undefined) return { ...DEFAULT_INCLUDE };
  if (typeof value === 'string') {
    const list = value.trim() === '' || value.trim() === 'none' ? [] : value.split(',').map((s) => s.trim());
    return readInclude(list);
  }
  if (Array.isArray(value)) {
    const out = Object.fromEntries(INCLUDE_KEYS.map((k) => [k, false])) as unknown as IncludeOptions;
    for (const item of value) {
      if (typeof item !== 'string' || !INCLUDE_KEYS.includes(item as keyof IncludeOptions))
        throw new ConfigError(`Unknown include flag ${JSON.stringify(item)}`, {
          hint: `use ${INCLUDE_KEYS.join(', ')}`,
        });
      out[item as keyof IncludeOptions] = true;
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) {
    throw new ConfigError('Setting "include" must be an object of flags', {
      hint: `flags: ${INCLUDE_KEYS.join(', ')}`,
    });
  }
  const out = { ...DEFAULT_INCLUDE };
  for (const [k, v] of Object.entries(value)) {
    if (!INCLUDE_KEYS.includes(k as keyof IncludeOptions))
      throw new ConfigError(`Unknown include flag "${k}"`, { hint: `use ${INCLUDE_KEYS.join(', ')}` });
    if (typeof v !== 'boolean') throw new ConfigError(`include.${k} must be true or false`);
    out[k as keyof IncludeOptions] = v;
  }
  return out;
}

function oneOf<T extends string>(settings: Settings, name: string, allowed: readonly T[]): T | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ConfigError(`Setting "${name}" must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
