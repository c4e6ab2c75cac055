/**
 * lifeboat-plugin-archive: a destination that stores each distinct photo once (content-addressed by sha256).
 * Declared in package.json's `lifeboat` key; Lifeboat imports this module and calls `activate` on first use.
 */
import type { DestinationFactory, PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { ArchiveDestination } from './archive-destination.js';
import { archiveOptions } from './settings.js';

export const archiveDestinationFactory: DestinationFactory = {
  create: (settings) => new ArchiveDestination(archiveOptions(settings)),
};

export function activate(_context: PluginContext): PluginContributions {
  return { destinations: { archive: archiveDestinationFactory } };
}

export { ArchiveDestination } from './archive-destination.js';
export type { GcResult } from './gc.js';
export type { ArchiveOptions } from './settings.js';
