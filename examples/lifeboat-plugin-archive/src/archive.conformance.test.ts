import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDestinationSuite } from '@lifeboat/plugin-api/testing';
import { ArchiveDestination } from './archive-destination.js';

// Core's conformance kit, every check, none skipped. The archive lives one level below the temp folder, so the
// suite's prepare() is what creates it, as when a user adds the destination.
runDestinationSuite('ArchiveDestination', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-conformance-'));
  return {
    destination: new ArchiveDestination({ root: join(dir, 'archive') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
