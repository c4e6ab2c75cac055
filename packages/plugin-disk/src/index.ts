/**
 * Lifeboat's disk plugin: the `folder` source (photos in a folder tree) and the `disk` destination (plain files
 * in a folder on any mounted drive). Declared in package.json's `lifeboat` key; the host calls `activate`.
 */
import type { PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { DiskDestinationFactory } from './disk-destination.js';
import { folderSourceFactory } from './folder-source.js';

export function activate(context: PluginContext): PluginContributions {
  return {
    sources: { folder: folderSourceFactory(context.storageDir) },
    destinations: { disk: DiskDestinationFactory },
  };
}

export { DiskDestination, DiskDestinationFactory } from './disk-destination.js';
export { FolderSource, FolderSourceFactory, folderSourceFactory } from './folder-source.js';
export type { DiskDestinationOptions, FolderSourceOptions } from './settings.js';
