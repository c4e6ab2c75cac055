import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

/** Files under `dir`, the destination's own `.lifeboat/` bookkeeping left out. */
function copies(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((rel) => !rel.startsWith('.lifeboat'));
}

describe('the run screen', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    const photos = Array.from({ length: 300 }, (_, i) => ({
      name: `IMG_${String(i).padStart(4, '0')}.JPG`,
      date: '2022-05-01T10:00:00Z',
      size: 200_000 + i,
    }));
    photoFolder(join(scene.root, 'photos'), photos);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['plan', 'add', 'p', '--source', 'photos', '--destination', 'drive-a']);
  });
  afterEach(() => scene.dispose());

  it('asks before stopping on ctrl-c, goes on with [n], and stops cleanly with [y]: no partial files', async () => {
    const app = renderApp(scene.app, { name: 'run', plan: 'p' });
    await app.waitFor('Running "p"');
    await app.press(KEY.ctrlC);
    expect(await app.waitFor('Stop the run?')).toContain('[y] stop cleanly');
    await app.press('n');
    await app.waitFor('[c / ctrl-c] stop cleanly');
    await app.press(KEY.ctrlC);
    await app.waitFor('Stop the run?');
    await app.press('y');
    const stopped = await app.waitFor(/STOPPED|BACKUP COMPLETE/, 30_000);
    expect(stopped).toContain('STOPPED');
    // Whatever landed is whole: every copy is byte-identical to its original.
    const landed = copies(join(scene.root, 'a'));
    expect(landed.length).toBeLessThan(300);
    for (const rel of landed) {
      const name = rel.split('/').at(-1)!;
      expect(readFileSync(join(scene.root, 'a', rel)).equals(readFileSync(join(scene.root, 'photos', name))), rel).toBe(
        true,
      );
    }
    await app.press(KEY.enter);
    await app.waitFor('PLANS');
    app.unmount();
  });

  it('says why a run cannot start, with what to do', async () => {
    const app = renderApp(scene.app, { name: 'run', plan: 'nope' });
    const frame = await app.waitFor('could not');
    expect(frame).toContain('The run could not start: No plan named "nope"');
    expect(frame).toContain('What to do: Known plans: p');
    app.unmount();
  });
});
