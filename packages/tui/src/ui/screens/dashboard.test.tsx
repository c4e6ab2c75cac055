import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

const PHOTOS = [
  { name: 'IMG_0001.JPG', date: '2019-12-14T16:02:00Z' },
  { name: 'IMG_0002.JPG', date: '2019-12-15T09:12:00Z' },
  { name: 'IMG_0003.JPG', date: '2020-07-04T12:00:00Z' },
  { name: 'IMG_0004.JPG', date: '2020-07-05T12:00:00Z' },
];

describe('the dashboard (home)', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), PHOTOS);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-b', '--set', `path=${join(scene.root, 'b')}`]);
    await scene.cli([
      'plan',
      'add',
      'family',
      '--source',
      'photos',
      '--destination',
      'drive-a',
      '--destination',
      'drive-b',
    ]);
  });
  afterEach(() => scene.dispose());

  it('says a plan that never ran is not run yet, with its destinations empty', async () => {
    const app = renderApp(scene.app);
    const frame = await app.waitFor('family');
    expect(frame).toMatch(/family\s+never\s+not scheduled\s+NOT RUN YET/);
    expect(frame).toMatch(/drive-a \(disk\)\s+0\s+0\s+0 B\s+—/);
    expect(frame).toContain('Nothing has gone missing');
    expect(frame).toContain('[r] run  [b] restore  [s] schedule');
    app.unmount();
  });

  it('runs a plan with [r], shows progress per destination, then the counts at home', async () => {
    const app = renderApp(scene.app);
    await app.waitFor('family');
    await app.press('r');
    const done = await app.waitFor('BACKUP COMPLETE', 20_000);
    expect(done).toContain('Running "family"');
    expect(done).toMatch(/drive-a\s+█+\s+written 4 files/);
    expect(done).toMatch(/drive-b\s+█+\s+written 4 files/);
    expect(done).toContain('4 files (');
    expect(done).toContain('errors: 0');
    await app.press(KEY.enter);
    const home = await app.waitFor('PLANS');
    expect(home).toMatch(/family\s+today \d\d:\d\d ok, 4 new\s+not scheduled\s+3-2-1 NOT MET/);
    expect(home).toMatch(/drive-a \(disk\)\s+4\s+4\s+4\.0 KB\s+today \d\d:\d\d/);
    expect(home).toMatch(/drive-b \(disk\)\s+4\s+4\s/);
    app.unmount();
  });

  it('reports photos gone from the source as kept, and lists them with [g]', async () => {
    await scene.cli(['run', 'family']);
    rmSync(join(scene.root, 'photos', 'IMG_0002.JPG'));
    rmSync(join(scene.root, 'photos', 'IMG_0003.JPG'));
    await scene.cli(['run', 'family']);
    const app = renderApp(scene.app);
    const home = await app.waitFor('gone from');
    expect(home).toContain('2 photos gone from the sources — all kept on 2 destinations. [g] show them');
    await app.press('g');
    const list = await app.waitFor('Gone from the sources');
    expect(list).toContain('Gone from the sources · 2 · every copy is kept');
    expect(list).toMatch(/photos\s+IMG_0002\.JPG\s+today/);
    expect(list).toMatch(/photos\s+IMG_0003\.JPG\s+today/);
    await app.press(KEY.esc);
    await app.waitFor('PLANS');
    app.unmount();
  });

  it('fits 24 rows and says health in words', async () => {
    await scene.cli(['run', 'family']);
    const app = renderApp(scene.app);
    const frame = await app.waitFor('PLANS');
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    expect(frame).toContain('3-2-1 NOT MET');
    expect(frame).toContain('3-2-1 of "family": 3 copies · 1 media · 0 offsite — drive-a and drive-b are on the same');
    app.unmount();
  });
});
