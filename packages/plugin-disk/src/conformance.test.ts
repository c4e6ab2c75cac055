import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderStore, runDestinationSuite, runSourceSuite } from '@lifeboat/plugin-api/testing';
import { DiskDestination } from './disk-destination.js';
import { FolderSource } from './folder-source.js';
import { buildExifJpeg, Tag } from './test-helpers/exif-jpeg.js';

// The plugin API's conformance kit: the same checks every destination and source in the repository must pass.

runDestinationSuite('DiskDestination', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-disk-conformance-'));
  const root = join(dir, 'backup');
  return {
    destination: new DiskDestination({ root }),
    cleanup: () => rm(dir, { recursive: true }),
    store: folderStore(root, '.lifeboat/tmp'),
  };
});

runSourceSuite('FolderSource', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-folder-conformance-'));
  await mkdir(join(root, '2019', 'trip'), { recursive: true });
  await writeFile(
    join(root, '2019', 'trip', 'IMG_0001.JPG'),
    buildExifJpeg({ exif: { [Tag.DateTimeOriginal]: '2019:05:04 12:30:00' } }),
  );
  await writeFile(join(root, '2019', 'clip.mov'), Buffer.alloc(300_000, 7));
  await writeFile(join(root, 'empty.png'), Buffer.alloc(0));
  await writeFile(join(root, 'notes.txt'), 'not a photo');
  return {
    source: new FolderSource({ root }),
    expected: { assetCount: 3 },
    cleanup: () => rm(root, { recursive: true }),
  };
});
