/**
 * Issue 17, folder sources keep their sub-folders: two different `IMG_0001.jpg`, in `Trip 2024/` and `family/`,
 * are told apart by their source path in each drive's index, `restore --match` picks one by that path, and a
 * `{folder}/{name}` layout files them under their own folders.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirs } from '@lifeboat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, hashTree, lifeboat, lifeboatOk, makeTempDir, removeDir, sha256File } from './cli.js';

interface Entry {
  key: string;
  fileName: string;
  folder?: string;
  sha256: string;
}

async function indexOf(drive: string): Promise<Entry[]> {
  const { readdir } = await import('node:fs/promises');
  const dir = join(drive, '.lifeboat', 'index');
  const byKey = new Map<string, Entry>();
  for (const f of (await readdir(dir)).sort()) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      if (line.trim()) {
        const e = JSON.parse(line) as Entry;
        byKey.set(e.key, e);
      }
    }
  }
  return [...byKey.values()];
}

describe('a folder source with sub-folders', () => {
  let root: string;
  let home: string;
  const photos = () => join(root, 'photos');
  const drive = (name: string) => join(root, name);

  beforeAll(async () => {
    assertCliBuilt();
    root = await makeTempDir('lifeboat-subfolders-');
    home = join(root, 'home');
    for (const [folder, fill] of [
      ['Trip 2024', 1],
      ['family', 2],
    ] as const) {
      await makeDirs(join(photos(), folder));
      await writeFile(join(photos(), folder, 'IMG_0001.jpg'), Buffer.alloc(2000, fill));
    }
    await writeFile(join(photos(), 'top.jpg'), Buffer.alloc(1000, 3));
    await lifeboatOk(['source', 'add', 'folder', 'photos', '--set', `path=${photos()}`], { home });
    await lifeboatOk(['destination', 'add', 'disk', 'dated', '--set', `path=${drive('dated')}`], { home });
    await lifeboatOk(
      [
        'destination',
        'add',
        'disk',
        'foldered',
        '--set',
        `path=${drive('foldered')}`,
        '--set',
        'layout={folder}/{name}',
      ],
      { home },
    );
    await lifeboatOk(
      ['plan', 'add', 'p', '--source', 'photos', '--destination', 'dated', '--destination', 'foldered'],
      {
        home,
      },
    );
    const run = await lifeboat(['run', 'p', '--json'], { home });
    expect(run.code, run.describe()).toBe(0);
  }, 120_000);
  afterAll(() => removeDir(root));

  it("records each file's source folder in the index, so the two IMG_0001.jpg are told apart", async () => {
    for (const name of ['dated', 'foldered']) {
      const index = await indexOf(drive(name));
      const twins = index.filter((e) => e.fileName === 'IMG_0001.jpg');
      expect(twins.map((e) => e.folder).sort(), name).toEqual(['Trip 2024', 'family']);
      expect(new Set(twins.map((e) => e.sha256)).size).toBe(2);
      expect(index.find((e) => e.fileName === 'top.jpg')?.folder, name).toBeUndefined();
    }
  });

  it('files them under their own folders with a {folder} layout', async () => {
    const tree = await hashTree(drive('foldered'));
    expect([...tree.keys()].filter((k) => !k.endsWith('.xmp')).sort()).toEqual([
      'Trip 2024/IMG_0001.jpg',
      'family/IMG_0001.jpg',
      'top.jpg',
    ]);
    expect(tree.get('Trip 2024/IMG_0001.jpg')).toBe(await sha256File(join(photos(), 'Trip 2024', 'IMG_0001.jpg')));
  });

  it('restores one of them by its source path with --match, from the dated drive alone', async () => {
    const to = join(root, 'restored');
    const fresh = join(root, 'fresh-home');
    const result = await lifeboat(
      ['restore', '--from', drive('dated'), '--to', to, '--match', 'Trip 2024/*', '--json'],
      {
        home: fresh,
      },
    );
    expect(result.code, result.describe()).toBe(0);
    const restored = [...(await hashTree(to))].filter(([k]) => !k.endsWith('.xmp'));
    expect(restored).toHaveLength(1);
    expect(restored[0]![1]).toBe(await sha256File(join(photos(), 'Trip 2024', 'IMG_0001.jpg')));
    // The same glob on the copy's own key alone finds nothing: only the source path tells them apart.
    expect((await indexOf(drive('dated'))).some((e) => e.key.startsWith('Trip 2024/'))).toBe(false);
  });
});
