import pLimit from 'p-limit';
import { expect } from 'vitest';
import type { Destination } from '../api/destination.js';
import { randomBytes } from './bodies.js';
import { expectListing, listAll, put } from './destination-expect.js';
import type { SuiteContext } from './suite-context.js';

/**
 * A tree with near-miss names: `2019-extra/` and `2019.txt` start like `2019/` but are not in it. No key is also
 * a folder of another key, since a file system cannot hold both `a` and `a/b`.
 */
const TREE = [
  '2019/05/IMG_0001.JPG',
  '2019/05/IMG_0002.JPG',
  '2019/05/IMG_1000.JPG',
  '2019/06/IMG_0003.JPG',
  '2019-extra/IMG_0004.JPG',
  '2019.txt',
  '2020/01/IMG_0005.JPG',
  'top.jpg',
];

async function writeTree(dest: Destination): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const [i, key] of TREE.entries()) {
    await put(dest, key, randomBytes(10 + i));
    sizes.set(key, 10 + i);
  }
  return sizes;
}

const under = (prefix: string) => TREE.filter((key) => key.startsWith(prefix));

/** Listing: each complete object exactly once, for every kind of prefix, and nothing else. */
export function listingChecks({ check, dest, manyKeys }: SuiteContext): void {
  check('a fresh destination lists no objects', async () => {
    await expectListing(dest(), '', []);
    expect(await listAll(dest()), 'list() with no prefix').toEqual([]);
  });

  check('lists every key exactly once with an empty prefix', async () => {
    const sizes = await writeTree(dest());
    await expectListing(dest(), '', TREE);
    const listed = await listAll(dest());
    expect(listed.map((o) => o.key).sort(), 'list() with no prefix').toEqual([...TREE].sort());
    for (const info of listed) expect(info.size, `size listed for ${info.key}`).toBe(sizes.get(info.key));
  });

  check('lists the keys under a folder prefix', async () => {
    await writeTree(dest());
    for (const prefix of ['2019/', '2019/05/', '2020/01/']) await expectListing(dest(), prefix, under(prefix));
  });

  check('lists the keys by a prefix that ends inside a folder name', async () => {
    await writeTree(dest());
    for (const prefix of ['20', '2019', '2019/0']) await expectListing(dest(), prefix, under(prefix));
  });

  check('lists the keys by a prefix that ends inside a file name', async () => {
    await writeTree(dest());
    for (const prefix of ['2019/05/IMG_00', 'to', '2019.', '2019/06/IMG_0003.JPG']) {
      await expectListing(dest(), prefix, under(prefix));
    }
  });

  check('lists nothing for a prefix no key starts with', async () => {
    await writeTree(dest());
    for (const prefix of ['nope/', 'nope', '2019/07/', '2019/05/IMG_9', 'top.jpg.xmp', '2019/05/IMG_0001.JPG/']) {
      await expectListing(dest(), prefix, []);
    }
  });

  check('lists many keys across nested folders exactly once', async () => {
    // Depths 1 to 3 and folders big enough to need pagination on stores that page (S3 pages at 1000).
    const keyOf = (i: number) =>
      [`many/k${i}.bin`, `many/f${i % 5}/k${i}.bin`, `many/f${i % 5}/g${i % 7}/k${i}.bin`][i % 3] ?? '';
    const keys = Array.from({ length: manyKeys }, (_, i) => keyOf(i));
    const limit = pLimit(16);
    await Promise.all(keys.map((key, i) => limit(() => put(dest(), key, randomBytes(i % 17)))));
    await expectListing(dest(), '', keys);
    await expectListing(dest(), 'many/', keys);
    await expectListing(
      dest(),
      'many/f1/',
      keys.filter((k) => k.startsWith('many/f1/')),
    );
    await expectListing(
      dest(),
      'many/f1/g',
      keys.filter((k) => k.startsWith('many/f1/g')),
    );
  });
}
