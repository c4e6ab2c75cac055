import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { makeJpeg } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, renderApp, type Scene } from '../testing/harness.js';

/**
 * Previews of JPEG and PNG files where no rendition exists: a copy on a destination, and a folder source's own file.
 * Half-blocks are forced (LIFEBOAT_PREVIEW=blocks): a test's fake terminal has no colour to detect.
 */
describe('previews of JPEG copies', () => {
  let scene: Scene;
  const saved = { ...process.env };
  beforeEach(async () => {
    scene = createScene();
    const photos = join(scene.root, 'photos');
    makeDirsSync(photos);
    for (const [i, name] of ['IMG_0001.JPG', 'IMG_0002.JPG'].entries()) {
      const file = join(photos, name);
      writeFileSync(file, makeJpeg({ id: name, seed: i + 3, capturedAt: `2020-07-0${i + 1}T12:00:00` }));
      const t = new Date(`2020-07-0${i + 1}T12:00:00`);
      utimesSync(file, t, t);
    }
    writeFileSync(join(photos, 'clip.mov'), Buffer.alloc(2000, 7));
    utimesSync(join(photos, 'clip.mov'), new Date('2020-07-03T12:00:00'), new Date('2020-07-03T12:00:00'));
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${photos}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['plan', 'add', 'p', '--source', 'photos', '--destination', 'drive-a']);
    await scene.cli(['run', 'p']);
    process.env.LIFEBOAT_PREVIEW = 'blocks';
    delete process.env.NO_COLOR;
  });
  afterEach(() => {
    process.env = { ...saved };
    scene.dispose();
  });

  it('draws a JPEG copy on a destination beside the list, and says when a file has none', async () => {
    const app = renderApp(scene.app, { name: 'restore', from: 'drive-a' });
    await app.waitFor(/2020\s+3 files/);
    await app.press(KEY.enter);
    await app.waitFor(/all years › 2020\s/);
    await app.press(KEY.enter);
    await app.waitFor('IMG_0001.JPG');
    const drawn = await app.waitFor('▄');
    expect(drawn.split('\n').filter((l) => l.includes('▄')).length).toBeGreaterThan(3);
    await app.press(KEY.down, KEY.down);
    await app.waitFor(/> \[ \] clip\.mov/);
    expect(await app.waitFor('no preview')).not.toContain('▄');
    app.unmount();
  });

  it("draws a folder source's own JPEG in the source browser", async () => {
    const app = renderApp(scene.app, { name: 'pick', source: 'photos' });
    await app.waitFor(/2020\s+3 photos/);
    await app.press(KEY.enter, KEY.enter);
    await app.waitFor(/all years › 2020 › 07/);
    expect((await app.waitFor('▄')).split('\n').filter((l) => l.includes('▄')).length).toBeGreaterThan(3);
    app.unmount();
  });
});
