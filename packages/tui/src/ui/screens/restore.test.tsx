import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

const PHOTOS = [
  { name: 'IMG_0001.JPG', date: '2019-12-14T16:02:00' },
  { name: 'IMG_0002.JPG', date: '2019-12-15T09:12:00' },
  { name: 'IMG_0003.JPG', date: '2020-07-04T12:00:00' },
  { name: 'BEACH_01.JPG', date: '2020-07-05T12:00:00' },
];

describe('browse and restore', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), PHOTOS);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['plan', 'add', 'p', '--source', 'photos', '--destination', 'drive-a']);
    await scene.cli(['run', 'p']);
  });
  afterEach(() => scene.dispose());

  it('walks year › month › files, selects two, and restores them byte for byte', async () => {
    const app = renderApp(scene.app, { name: 'restore' });
    await app.waitFor('> drive-a');
    await app.press(KEY.enter);
    const years = await app.waitFor(/2019\s+2 files/);
    expect(years).toMatch(/2020\s+2 files/);
    await app.press(KEY.enter);
    await app.waitFor(/all years › 2019\s/);
    await app.press(KEY.enter);
    const files = await app.waitFor(/all years › 2019 › 12/);
    expect(files).toContain('IMG_0001.JPG');
    expect(files).toMatch(/2019\/12\/IMG_0001\.JPG · original · 1\.0 KB · taken 2019-12-14 16:02/);
    await app.press(KEY.space, KEY.down, KEY.space);
    await app.waitFor('2 files selected');
    await app.press('r');
    await app.waitFor('Restore to:');
    const target = join(scene.root, 'restored');
    await app.press(KEY.ctrlU);
    await app.type(target);
    await app.press(KEY.enter);
    await app.waitFor(/RESTORED .* 2 \/ 2 files/);
    for (const name of ['IMG_0001.JPG', 'IMG_0002.JPG']) {
      expect(readFileSync(join(target, '2019', '12', name))).toEqual(readFileSync(join(scene.root, 'photos', name)));
    }
    // The two photos and nothing else, each with its sidecar.
    expect(readdirSync(join(target, '2019', '12')).sort()).toEqual([
      'IMG_0001.JPG',
      'IMG_0001.JPG.xmp',
      'IMG_0002.JPG',
      'IMG_0002.JPG.xmp',
    ]);
    app.unmount();
  });

  it('searches by name across the whole destination, and groups by album with [a]', async () => {
    const app = renderApp(scene.app, { name: 'restore', from: 'drive-a' });
    await app.waitFor('all years');
    await app.press('/');
    await app.type('beach');
    await app.press(KEY.enter);
    const found = await app.waitFor('search "beach"');
    expect(found).toContain('BEACH_01.JPG');
    expect(found).not.toContain('IMG_0001.JPG');
    await app.press(KEY.esc);
    await app.waitFor(/all years\s/);
    await app.press('a');
    expect(await app.waitFor('albums')).toMatch(/\(in no album\)\s+4 files/);
    app.unmount();
  });

  it('opens a backup folder by path with no local state at all (a new computer)', async () => {
    const fresh = createScene();
    try {
      const app = renderApp(fresh.app, { name: 'restore' });
      await app.waitFor('No destination is configured here');
      await app.press('o');
      await app.type(join(scene.root, 'a'));
      await app.press(KEY.enter);
      const years = await app.waitFor(/2019\s+2 files/);
      expect(years).toContain('4 copies on');
      app.unmount();
    } finally {
      fresh.dispose();
    }
  });

  it('draws only the visible rows of 100,000 copies, within 24 lines', async () => {
    const big = join(scene.root, 'big');
    await scene.cli(['destination', 'add', 'disk', 'big', '--set', `path=${big}`]);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const name = `IMG_${String(i).padStart(6, '0')}.JPG`;
      const month = String((i % 12) + 1).padStart(2, '0');
      lines.push(
        JSON.stringify({
          v: 1,
          key: `2018/${month}/${name}`,
          source: 's',
          assetId: `a${i}`,
          kind: 'original',
          version: '1',
          fileName: name,
          size: 1000,
          sha256: '0'.repeat(64),
          capturedAt: `2018-${month}-01T10:00:00`,
          albums: [],
          favorite: false,
          hidden: false,
          copiedAt: '2024-01-01T00:00:00Z',
        }),
      );
    }
    makeDirsSync(join(big, '.lifeboat', 'index'));
    writeFileSync(join(big, '.lifeboat', 'index', '20240101-big.jsonl'), `${lines.join('\n')}\n`);
    const app = renderApp(scene.app, { name: 'restore', from: 'big' });
    await app.waitFor(/2018\s+100,000 files/, 30_000);
    await app.press('/');
    await app.type('IMG_');
    await app.press(KEY.enter);
    const list = await app.waitFor(/of 100,000/, 30_000);
    expect(list.split('\n').length).toBeLessThanOrEqual(24);
    expect(list).toContain('IMG_000000.JPG');
    await app.press('\u001B[F');
    // Sorted by capture date: the last row is the last file of December.
    const end = await app.waitFor('> [ ] IMG_099995.JPG', 10_000);
    expect(end).toContain('99,989–100,000 of 100,000');
    expect(end.split('\n').length).toBeLessThanOrEqual(24);
    app.unmount();
  }, 60_000);
});
