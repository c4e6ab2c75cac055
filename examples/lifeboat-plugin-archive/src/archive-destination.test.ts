import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InstanceContext, tempOwnerTag } from '@lifeboat/plugin-api';
import { chunked, randomBytes, sha256Hex } from '@lifeboat/plugin-api/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveDestination } from './archive-destination.js';
import { archiveDestinationFactory } from './index.js';
import { sha256Of } from './layout.js';

// What the conformance kit cannot see: the folder's shape on disk, availability, recover(), settings.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-archive-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error as { code?: string }).code,
  );

describe('ArchiveDestination on disk', () => {
  it('keeps the body under blobs/ and a readable record of the key under keys/', async () => {
    const archive = new ArchiveDestination({ root: join(dir, 'a') });
    await archive.prepare();
    const data = randomBytes(100);
    await archive.write('2019/05/IMG_0001.JPG', chunked(data), { size: 100 });
    const sha = sha256Hex(data);
    expect((await stat(join(dir, 'a', 'blobs', sha.slice(0, 2), sha))).size).toBe(100);
    const h = sha256Of('2019/05/IMG_0001.JPG');
    const record = JSON.parse(await readFile(join(dir, 'a', 'keys', h.slice(0, 2), `${h}.json`), 'utf8'));
    expect(record).toMatchObject({ key: '2019/05/IMG_0001.JPG', sha256: sha, size: 100 });
    expect((await stat(join(dir, 'a', '.archive-root'))).isFile()).toBe(true);
  });

  it('never creates a missing root: write fails with LIFEBOAT_DEST_UNAVAILABLE', async () => {
    const archive = new ArchiveDestination({ root: join(dir, 'not-mounted') });
    expect(await codeOf(archive.write('a.jpg', chunked(randomBytes(5)), { size: 5 }))).toBe(
      'LIFEBOAT_DEST_UNAVAILABLE',
    );
    expect(await codeOf(archive.stat('a.jpg'))).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect(await codeOf(archive.read('a.jpg'))).toBe('LIFEBOAT_DEST_UNAVAILABLE');
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses an empty folder without the marker (an unmounted drive's mount point)", async () => {
    await mkdir(join(dir, 'mountpoint'));
    const archive = new ArchiveDestination({ root: join(dir, 'mountpoint') });
    expect(await codeOf(archive.write('a.jpg', chunked(randomBytes(5)), { size: 5 }))).toBe(
      'LIFEBOAT_DEST_UNAVAILABLE',
    );
    expect(await readdir(join(dir, 'mountpoint'))).toEqual([]);
  });

  it('recover removes leftovers of interrupted writes', async () => {
    const archive = new ArchiveDestination({ root: join(dir, 'a') });
    await archive.prepare();
    // Temp files name their owner: this one's process has ended (a killed run).
    const owner = tempOwnerTag().replace(/^\d+/, String(spawnSync('true').pid));
    await writeFile(join(dir, 'a', 'tmp', `${owner}crashed.part`), 'half a photo');
    await archive.recover();
    expect(await readdir(join(dir, 'a', 'tmp'))).toEqual([]);
  });

  it('reports a record whose blob vanished as LIFEBOAT_INTEGRITY, not as missing', async () => {
    const archive = new ArchiveDestination({ root: join(dir, 'a') });
    await archive.prepare();
    const data = randomBytes(10);
    await archive.write('x.jpg', chunked(data), { size: 10 });
    const sha = sha256Hex(data);
    await rm(join(dir, 'a', 'blobs', sha.slice(0, 2), sha));
    expect(await codeOf(archive.read('x.jpg'))).toBe('LIFEBOAT_INTEGRITY');
  });
});

describe('archive settings', () => {
  const context = {} as InstanceContext;

  it('describes the drive, with the settings the user gave', async () => {
    const archive = await archiveDestinationFactory.create(
      { path: dir, offsite: true, layout: '{yyyy}/{name}' },
      context,
    );
    expect(await archive.describe()).toMatchObject({
      location: dir,
      medium: `disk:${(await stat(dir)).dev}`,
      mediumKind: 'disk',
      offsite: true,
      layout: '{yyyy}/{name}',
    });
    const named = await archiveDestinationFactory.create({ path: dir, medium: 'blue-usb' }, context);
    expect(await named.describe()).toMatchObject({ medium: 'blue-usb', offsite: false, layout: '{yyyy}/{mm}/{name}' });
  });

  it('expands ~ and refuses a layout with a typo', () => {
    expect((archiveDestinationFactory.create({ path: '~/Archive' }, context) as ArchiveDestination).root).toBe(
      join(homedir(), 'Archive'),
    );
    expect(() => archiveDestinationFactory.create({ path: dir, layout: '{yyyy}/{nmae}' }, context)).toThrow('nmae');
    expect(() => archiveDestinationFactory.create({}, context)).toThrow('path');
  });
});
