import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { folderStore, runDestinationSuite } from '@lifeboat/plugin-api/testing';
import { afterAll, beforeAll } from 'vitest';
import { TEMP_FOLDER } from './paths.js';
import { webdavOptions } from './settings.js';
import { type RcloneWebdav, startRcloneWebdav } from './test-helpers/rclone-webdav.js';
import { WebdavDestination } from './webdav-destination.js';

// The plugin API's conformance kit, every check, none skipped, against a real WebDAV server (rclone serve webdav).
let server: RcloneWebdav;
beforeAll(async () => {
  server = await startRcloneWebdav();
});
afterAll(() => server?.stop());

let n = 0;
const at = (endpoint: string, folder: string, extra: Record<string, unknown> = {}) =>
  new WebdavDestination(webdavOptions({ url: new URL(`${folder}/`, endpoint).href, ...extra }));

// A folder per check, one level below the served folder, so the suite's prepare() creates it as when a user adds
// the destination, and removing it is a vanished root.
runDestinationSuite(
  'WebdavDestination on rclone serve webdav',
  async () => {
    const folder = `check-${++n}`;
    await mkdir(server.dir, { recursive: true });
    return {
      destination: at(server.endpoint, folder),
      store: folderStore(join(server.dir, folder), TEMP_FOLDER),
      http: { endpoint: server.endpoint, at: (endpoint) => at(endpoint, folder) },
    };
  },
  {
    largeObjectBytes: 9 * 1024 * 1024 + 123,
    timeoutMs: 60_000,
    // A server that accepts connections and never answers: every request gives up after 2 s of silence.
    unresponsive: { create: (endpoint) => at(endpoint, 'photos', { timeoutSeconds: 2 }), deadlineMs: 20_000 },
  },
);
