import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { type ContributionManifest, type Settings, UsageError } from '@lifeboat/core';

/** Where operating systems mount removable drives. */
const DEFAULT_ROOTS = ['/media', '/run/media', '/mnt', '/Volumes'];

/** LIFEBOAT_REMOVABLE_ROOTS (path-list, for tests) replaces the usual mount roots. */
export function removableRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.LIFEBOAT_REMOVABLE_ROOTS;
  return given ? given.split(process.platform === 'win32' ? ';' : ':').filter(Boolean) : DEFAULT_ROOTS;
}

function nearestExisting(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

const isUnder = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * Why `path` looks like a drive that is not plugged in, or undefined. Creating it anyway would fill the empty
 * mount point on the system disk, and later runs would "back up" there while the drive sits in a drawer.
 */
export function unpluggedReason(path: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'win32') {
    const drive = /^([A-Za-z]:)[\\/]/.exec(path)?.[1];
    return drive && !existsSync(`${drive}\\`) ? `drive ${drive} is not there` : undefined;
  }
  for (const root of removableRoots(env)) {
    if (!isUnder(root, path)) continue;
    const ancestor = nearestExisting(path);
    if (ancestor === path) return undefined;
    // The same device as the mount root itself: no drive is mounted between the root and the path.
    const rootDevice = existsSync(root) ? statSync(root).dev : statSync(nearestExisting(root)).dev;
    if (statSync(ancestor).dev !== rootDevice) return undefined;
    return `it is under ${root}, where removable drives are mounted, but ${ancestor} (the nearest part that exists) is on the system disk, so the drive looks unplugged`;
  }
  return undefined;
}

/** Refuses a destination's path setting that points into an unplugged drive, unless `create` is given. */
export function refuseUnplugged(
  contribution: ContributionManifest,
  settings: Settings,
  create: boolean,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (create) return;
  const props = (contribution.settings.properties ?? {}) as Record<string, { format?: string }>;
  for (const [key, schema] of Object.entries(props)) {
    const value = settings[key];
    // Plugins that expand ~ themselves (the disk plugin) do not mark `path` as format "path".
    if ((schema.format !== 'path' && key !== 'path') || typeof value !== 'string') continue;
    const expanded = value === '~' || value.startsWith('~/') ? `${homedir()}${value.slice(1)}` : value;
    const reason = unpluggedReason(resolve(expanded), env);
    if (reason) {
      throw new UsageError(`Refusing ${key}=${value}: ${reason}`, {
        hint: `Plug the drive in and try again; or, if that folder really should be created on this disk, add --create`,
      });
    }
  }
}
