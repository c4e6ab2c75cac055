import { existsSync } from 'node:fs';
import { lstat, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExistsError, IntegrityError, NotFoundError } from '@lifeboat/plugin-api';
import { describe, expect, it } from 'vitest';
import { bodyOf, preparedDestination, randomData, useTempDir } from './test-helpers/fixtures.js';

/** Album views: other names for copies, never a second copy of the bytes, never the loss of one. */
describe('DiskDestination links', () => {
  const dir = useTempDir();
  const root = () => join(dir(), 'dest');

  async function withCopy() {
    const destination = await preparedDestination(dir());
    const data = randomData(4096);
    await destination.write('2019/05/IMG_0001.JPG', bodyOf(data), { size: data.length });
    return destination;
  }

  it('hard-links a copy into an album folder: the same inode, no second copy', async () => {
    const destination = await withCopy();
    expect(await destination.link('2019/05/IMG_0001.JPG', 'Albums/Trips/Paris/IMG_0001.JPG')).toBe('hard');
    const copy = await stat(join(root(), '2019/05/IMG_0001.JPG'));
    const link = await stat(join(root(), 'Albums/Trips/Paris/IMG_0001.JPG'));
    expect(link.ino).toBe(copy.ino);
    expect(copy.nlink).toBe(2);
    const links = [];
    for await (const key of destination.listLinks('Albums/')) links.push(key);
    expect(links).toEqual(['Albums/Trips/Paris/IMG_0001.JPG']);
  });

  it('refuses a taken name and a missing target', async () => {
    const destination = await withCopy();
    await destination.link('2019/05/IMG_0001.JPG', 'Albums/Family/IMG_0001.JPG');
    await expect(destination.link('2019/05/IMG_0001.JPG', 'Albums/Family/IMG_0001.JPG')).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    await expect(destination.link('2019/05/none.JPG', 'Albums/Family/none.JPG')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('unlinks a link and the album folders it leaves empty, keeping the copy', async () => {
    const destination = await withCopy();
    await destination.link('2019/05/IMG_0001.JPG', 'Albums/Trips/Paris/IMG_0001.JPG');
    await destination.unlink('Albums/Trips/Paris/IMG_0001.JPG');
    expect(existsSync(join(root(), 'Albums'))).toBe(false);
    expect((await stat(join(root(), '2019/05/IMG_0001.JPG'))).nlink).toBe(1);
    await destination.unlink('Albums/Trips/Paris/IMG_0001.JPG'); // gone already: fine
  });

  it('never removes the last name of some bytes, even asked to', async () => {
    const destination = await withCopy();
    await expect(destination.unlink('2019/05/IMG_0001.JPG')).rejects.toBeInstanceOf(IntegrityError);
    expect(existsSync(join(root(), '2019/05/IMG_0001.JPG'))).toBe(true);
  });

  it('lists and removes relative symbolic links (the fallback where hard links are impossible)', async () => {
    const destination = await withCopy();
    await destination.link('2019/05/IMG_0001.JPG', 'Albums/Family/IMG_0001.JPG');
    await destination.unlink('Albums/Family/IMG_0001.JPG');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(root(), 'Albums/Family'), { recursive: true });
    await symlink('../../2019/05/IMG_0001.JPG', join(root(), 'Albums/Family/IMG_0001.JPG'));
    const links = [];
    for await (const key of destination.listLinks('Albums/')) links.push(key);
    expect(links).toEqual(['Albums/Family/IMG_0001.JPG']);
    await destination.unlink('Albums/Family/IMG_0001.JPG');
    await expect(lstat(join(root(), 'Albums/Family/IMG_0001.JPG'))).rejects.toThrow();
    expect(existsSync(join(root(), '2019/05/IMG_0001.JPG'))).toBe(true);
  });
});

describe('the albumView setting', () => {
  it('is reported by describe(), and refused with a layout that files copies under Albums/', async () => {
    const { diskDestinationOptions } = await import('./settings.js');
    const { DiskDestination } = await import('./disk-destination.js');
    const options = diskDestinationOptions({ path: '/tmp/x', albumView: true });
    expect(options.albumView).toBe(true);
    expect((await new DiskDestination(options).describe()).albumView).toBe(true);
    expect(
      (await new DiskDestination(diskDestinationOptions({ path: '/tmp/x' })).describe()).albumView,
    ).toBeUndefined();
    expect(() => diskDestinationOptions({ path: '/tmp/x', albumView: true, layout: 'Albums/{album}/{name}' })).toThrow(
      /Albums\//,
    );
    expect(diskDestinationOptions({ path: '/tmp/x', layout: 'Albums/{album}/{name}' }).albumView).toBe(false);
  });
});
