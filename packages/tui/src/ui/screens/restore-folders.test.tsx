import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

/** Issue 17: the browser tells two IMG_0001.JPG of two sub-folders apart, and lists albums by their folders. */
describe('browsing by source folder and by album', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    const photos = join(scene.root, 'photos');
    photoFolder(join(photos, 'Trip 2024'), [{ name: 'IMG_0001.JPG', date: '2019-12-14T16:02:00', size: 1500 }]);
    photoFolder(join(photos, 'family'), [{ name: 'IMG_0001.JPG', date: '2019-12-15T09:12:00', size: 1700 }]);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${photos}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['plan', 'add', 'p', '--source', 'photos', '--destination', 'drive-a']);
    await scene.cli(['run', 'p']);
  });
  afterEach(() => scene.dispose());

  it("shows each file's source folder, finds it by that folder, and restores that one", async () => {
    const app = renderApp(scene.app, { name: 'restore', from: 'drive-a' });
    await app.waitFor('all years');
    await app.press('/');
    await app.type('trip');
    await app.press(KEY.enter);
    const found = await app.waitFor('search "trip"');
    // One row (the preview beside the list may cut its folder column short), and its details name the folder.
    expect(found.match(/\[ \] IMG_0001\.JPG/g)).toHaveLength(1);
    expect(found).not.toContain('family');
    expect(found).toContain('in folder Trip 2024');
    await app.press(KEY.space);
    await app.waitFor('1 file selected');
    await app.press('r');
    await app.waitFor('Restore to:');
    const target = join(scene.root, 'restored');
    await app.press(KEY.ctrlU);
    await app.type(target);
    await app.press(KEY.enter);
    await app.waitFor(/RESTORED .* 1 \/ 1 file /);
    const files = readdirSync(join(target, '2019', '12')).filter((f) => !f.endsWith('.xmp'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(target, '2019', '12', files[0]!))).toEqual(
      readFileSync(join(scene.root, 'photos', 'Trip 2024', 'IMG_0001.JPG')),
    );
    app.unmount();
  });

  it('lists an album inside a folder by its path', async () => {
    const big = join(scene.root, 'albums');
    await scene.cli(['destination', 'add', 'disk', 'albums', '--set', `path=${big}`]);
    const entry = (n: number, albums: string[], albumFolders?: Record<string, string>) =>
      JSON.stringify({
        v: 1,
        key: `2020/01/IMG_${n}.JPG`,
        source: 'icloud',
        assetId: `a${n}`,
        kind: 'original',
        version: '1',
        fileName: `IMG_${n}.JPG`,
        size: 1000,
        sha256: '0'.repeat(64),
        capturedAt: '2020-01-01T10:00:00',
        albums,
        ...(albumFolders ? { albumFolders } : {}),
        favorite: false,
        hidden: false,
        copiedAt: '2024-01-01T00:00:00Z',
      });
    makeDirsSync(join(big, '.lifeboat', 'index'));
    const lines = [entry(1, ['Family', 'Paris'], { Paris: 'Trips' }), entry(2, ['Paris'], { Paris: 'Trips' })];
    writeFileSync(join(big, '.lifeboat', 'index', '20240101-a.jsonl'), `${lines.join('\n')}\n`);
    const app = renderApp(scene.app, { name: 'restore', from: 'albums' });
    await app.waitFor('all years');
    await app.press('a');
    const albums = await app.waitFor(/Trips\/Paris\s+2 files/);
    expect(albums).toMatch(/Family\s+1 file/);
    app.unmount();
  });
});
