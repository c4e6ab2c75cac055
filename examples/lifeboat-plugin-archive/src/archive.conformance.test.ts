import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderStore, runDestinationSuite } from '@lifeboat/plugin-api/testing';
import { ArchiveDestination } from './archive-destination.js';

// The plugin API's conformance kit, every check, none skipped. The archive lives one level below the temp folder, so the
// suite's prepare() is what creates it, as when a user adds the destination.
runDestinationSuite('ArchiveDestination', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-conformance-'));
  const root = join(dir, 'archive');
  return {
    destination: new ArchiveDestination({ root }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    store: folderStore(root, 'tmp'),
  };
});
