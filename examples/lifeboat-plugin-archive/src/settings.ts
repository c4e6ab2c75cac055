import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, DEFAULT_LAYOUT, type Settings, validateLayout } from '@lifeboat/plugin-api';

export interface ArchiveOptions {
  /** Absolute path of the archive folder. */
  root: string;
  /** Layout of the keys core stores copies under (default `{yyyy}/{mm}/{name}`). */
  layout?: string;
  offsite?: boolean;
  /** Overrides the drive identity reported to the 3-2-1 check. */
  medium?: string;
}

/**
 * Reads the settings object declared in package.json. The host validates it against the manifest's schema
 * first, but a factory may be called by other code (tests, scripts), so each type is checked again here.
 */
export function archiveOptions(settings: Settings): ArchiveOptions {
  const path = settings.path;
  if (typeof path !== 'string' || path.trim() === '') {
    throw new ConfigError('Setting "path" must be a non-empty folder path', { hint: 'Set "path" to a folder' });
  }
  const layout = optional(settings, 'layout', 'string') ?? DEFAULT_LAYOUT;
  validateLayout(layout); // a typo is reported when the destination is added, not mid-run
  const medium = optional(settings, 'medium', 'string');
  return {
    root: resolve(path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path),
    layout,
    offsite: optional(settings, 'offsite', 'boolean') ?? false,
    ...(medium === undefined ? {} : { medium }),
  };
}

function optional<T extends 'string' | 'boolean'>(
  settings: Settings,
  name: string,
  type: T,
): (T extends 'string' ? string : boolean) | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (typeof value !== type) throw new ConfigError(`Setting "${name}" must be a ${type}`);
  return value as T extends 'string' ? string : boolean;
}
