/**
 * lifeboat-plugin-webdav: a destination in a folder on a WebDAV server (Nextcloud, ownCloud, a NAS). Declared in
 * package.json's `lifeboat` key; Lifeboat imports this module and calls `activate` on first use.
 */
import type { DestinationFactory, PluginContext, PluginContributions } from '@lifeboat/plugin-api';
import { webdavOptions } from './settings.js';
import { WebdavDestination } from './webdav-destination.js';

export const webdavDestinationFactory: DestinationFactory = {
  // The password lives in the keychain (declared in `secrets`), never in the settings.
  create: async (settings, context) =>
    new WebdavDestination(webdavOptions(settings, await context.secrets.get('password'))),
};

export function activate(_context: PluginContext): PluginContributions {
  return { destinations: { webdav: webdavDestinationFactory } };
}

export type { WebdavOptions } from './settings.js';
export { WebdavDestination } from './webdav-destination.js';
