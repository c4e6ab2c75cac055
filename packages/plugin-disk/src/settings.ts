import { ConfigError, DEFAULT_LAYOUT, LifeboatError, type Settings, validateLayout } from '@lifeboat/plugin-api';
import { DEFAULT_INCLUDE } from './media-types.js';
import { resolveUserPath } from './paths.js';

/**
 * Reads the settings objects declared in package.json. Core validates them against the manifest's schema, but a
 * factory may also be called directly (tests, other hosts), so types are checked again here.
 */

export interface FolderSourceOptions {
  /** Absolute path of the folder to back up. */
  root: string;
  followSymlinks?: boolean;
  /** File extensions to include, lowercase, without the dot. */
  include?: readonly string[];
  /** Re-read files whose size and time are unchanged to find changed bytes (`lifeboat run --checksum`). */
  checksum?: boolean;
}

export interface DiskDestinationOptions {
  /** Absolute path of the backup folder. */
  root: string;
  layout?: string;
  offsite?: boolean;
  medium?: string;
  /** Keep `Albums/<Folder>/<Album>/` links to the copies (core drives it through link/unlink). */
  albumView?: boolean;
}

export function folderSourceOptions(settings: Settings): FolderSourceOptions {
  return {
    root: resolveUserPath(requiredString(settings, 'path')),
    followSymlinks: optional(settings, 'followSymlinks', 'boolean') ?? false,
    include: optionalStringArray(settings, 'include') ?? DEFAULT_INCLUDE,
    checksum: optional(settings, 'checksum', 'boolean') ?? false,
  };
}

export function diskDestinationOptions(settings: Settings): DiskDestinationOptions {
  const layout = checkedLayout(optional(settings, 'layout', 'string') ?? DEFAULT_LAYOUT);
  const albumView = optional(settings, 'albumView', 'boolean') ?? false;
  // The album view owns `Albums/`: copies filed there would be taken for its links and pruned from it.
  if (albumView && /^albums\//i.test(layout.replace(/^\/+/, ''))) {
    throw new ConfigError(`Setting "layout": ${layout} files copies under Albums/, where the album view lives`, {
      hint: 'Use another first folder in the layout (e.g. {album}/{name}), or leave albumView off',
    });
  }
  return {
    root: resolveUserPath(requiredString(settings, 'path')),
    layout,
    offsite: optional(settings, 'offsite', 'boolean') ?? false,
    medium: optional(settings, 'medium', 'string'),
    albumView,
  };
}

/** A broken layout (a typo in a placeholder) would file copies under no name: refuse it when the destination is made. */
function checkedLayout(layout: string): string {
  try {
    validateLayout(layout);
  } catch (error) {
    if (error instanceof LifeboatError)
      throw new ConfigError(`Setting "layout": ${error.message}`, { hint: error.hint });
    throw error;
  }
  return layout;
}

function requiredString(settings: Settings, name: string): string {
  const value = settings[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`Setting "${name}" must be a non-empty path`, { hint: `Set "${name}" to a folder path` });
  }
  return value;
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

function optionalStringArray(settings: Settings, name: string): string[] | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ConfigError(`Setting "${name}" must be a list of file extensions`);
  }
  return value;
}
