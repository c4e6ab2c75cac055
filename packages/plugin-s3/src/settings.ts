import { ConfigError, type Settings } from '@lifeboat/plugin-api';
import { normalizePrefix } from './keys.js';

/**
 * Reads the settings object declared in package.json. Core validates it against the manifest's schema (and fills
 * its defaults), but a factory may also be called directly (tests, other hosts), so everything is checked again
 * here, and the one default a JSON schema cannot express (checksumMode depends on endpoint) is applied here.
 */

export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;
export const ENCRYPTIONS = ['none', 'AES256', 'aws:kms'] as const;
export const CHECKSUM_MODES = ['when_required', 'when_supported'] as const;
export const LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;

export type StorageClass = (typeof STORAGE_CLASSES)[number];
export type Encryption = (typeof ENCRYPTIONS)[number];
export type ChecksumMode = (typeof CHECKSUM_MODES)[number];
export type LockMode = (typeof LOCK_MODES)[number];

export const DEFAULT_LAYOUT = '{yyyy}/{mm}/{name}';

export interface S3Settings {
  bucket: string;
  /** Normalised: '' or a folder ending with '/'. */
  prefix: string;
  region: string;
  /** Absent for AWS S3. */
  endpoint?: string;
  forcePathStyle: boolean;
  storageClass: StorageClass;
  serverSideEncryption: Encryption;
  kmsKeyId?: string;
  checksumMode: ChecksumMode;
  objectLock?: { mode: LockMode; days: number };
  offsite: boolean;
  medium?: string;
  layout: string;
}

export function s3Settings(settings: Settings): S3Settings {
  const bucket = requiredString(settings, 'bucket');
  if (/[/\s]/.test(bucket)) throw new ConfigError(`Setting "bucket" must be a bucket name, not "${bucket}"`);
  const endpoint = optionalString(settings, 'endpoint');
  if (endpoint !== undefined) checkEndpoint(endpoint);
  const mode = oneOf(settings, 'objectLockMode', LOCK_MODES);
  const days = settings.objectLockDays;
  if ((mode === undefined) !== (days === undefined)) {
    throw new ConfigError('Settings "objectLockMode" and "objectLockDays" go together', {
      hint: 'Set both (e.g. --set objectLockMode=GOVERNANCE --set objectLockDays=30), or neither',
    });
  }
  if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1)) {
    throw new ConfigError('Setting "objectLockDays" must be a whole number of days, at least 1');
  }
  const prefix = optionalString(settings, 'prefix') ?? '';
  return {
    bucket,
    prefix: normalizePrefix(prefix),
    region: optionalString(settings, 'region') ?? 'us-east-1',
    ...(endpoint !== undefined ? { endpoint } : {}),
    forcePathStyle: optionalBoolean(settings, 'forcePathStyle') ?? false,
    storageClass: oneOf(settings, 'storageClass', STORAGE_CLASSES) ?? 'STANDARD',
    serverSideEncryption: oneOf(settings, 'serverSideEncryption', ENCRYPTIONS) ?? 'none',
    ...optionalField('kmsKeyId', optionalString(settings, 'kmsKeyId')),
    checksumMode: oneOf(settings, 'checksumMode', CHECKSUM_MODES) ?? defaultChecksumMode(endpoint),
    ...(mode !== undefined ? { objectLock: { mode, days: days as number } } : {}),
    offsite: optionalBoolean(settings, 'offsite') ?? true,
    ...optionalField('medium', optionalString(settings, 'medium')),
    layout: optionalString(settings, 'layout') ?? DEFAULT_LAYOUT,
  };
}

/**
 * AWS takes the SDK's flexible checksums (aws-chunked uploads with trailing checksums); many S3-compatible
 * servers reject them (Swift answers 501), so any other endpoint gets the conservative mode unless told otherwise.
 */
export function defaultChecksumMode(endpoint: string | undefined): ChecksumMode {
  return endpoint === undefined ? 'when_supported' : 'when_required';
}

/** http(s) only, and no user:password@ (credentials are secrets; they must never sit in a config file). */
function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`Setting "endpoint" is not a URL: "${endpoint}"`, {
      hint: 'Write it as https://host[:port], e.g. https://s3.eu-central-003.backblazeb2.com',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`Setting "endpoint" must be an http:// or https:// URL, not "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new ConfigError('Setting "endpoint" must not contain a user name or password', {
      hint: 'Give the keys with --secret accessKeyId --secret secretAccessKey instead',
    });
  }
}

function optionalField<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

function requiredString(settings: Settings, name: string): string {
  const value = settings[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`Setting "${name}" is required`, { hint: `Add --set ${name}=...` });
  }
  return value;
}

function optionalString(settings: Settings, name: string): string | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`Setting "${name}" must be a string`);
  return value;
}

function optionalBoolean(settings: Settings, name: string): boolean | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(`Setting "${name}" must be true or false`);
  return value;
}

function oneOf<T extends string>(settings: Settings, name: string, allowed: readonly T[]): T | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`Setting "${name}" must be one of ${allowed.join(', ')}, not "${String(value)}"`);
  }
  return value as T;
}
