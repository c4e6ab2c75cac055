import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

// The offload screen over real state (a folder source, three verified drives: 3 copies, 2 media, 1 offsite): the
// dry run with counts and bytes, the typed confirmation, and the move handed to the same service as the CLI's
// (a folder cannot move photos to a trash: that is said, and nothing moved).
describe('the offload screen', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    const photos = join(scene.root, 'photos');
    photoFolder(photos, [
      { name: 'IMG_0001.JPG', date: '2020-03-01T10:00:00Z' },
      { name: 'IMG_0002.JPG', date: '2020-03-02T10:00:00Z' },
    ]);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${photos}`]);
    for (const [name, extra] of [
      ['drive-a', ['--set', 'medium=drive-a']],
      ['drive-b', ['--set', 'medium=drive-a']],
      ['vault', ['--set', 'medium=vault', '--set', 'offsite=true']],
    ] as const) {
      await scene.cli(['destination', 'add', 'disk', name, '--set', `path=${join(scene.root, name)}`, ...extra]);
    }
    await scene.cli(['plan', 'add', 'home', '--source', 'photos', '--destination', 'drive-a']);
    await scene.cli(['plan', 'set', 'home', '--add-destination', 'drive-b', '--add-destination', 'vault']);
    await scene.cli(['run', 'home']);
    await scene.cli(['verify', 'home']);
  });
  afterEach(() => scene.dispose());

  it('shows the dry run, moves only after the number is typed back, and says why it cannot here', async () => {
    const app = renderApp(scene.app, { name: 'offload', source: 'photos' });
    const planned = await app.waitFor('Photos to move');
    expect(planned).toContain('Would move 2 photos to Recently Deleted, freeing');
    expect(planned).toContain('Kept in iCloud: 0 photos.');
    expect(planned).toContain('type 2 and press enter');
    // A wrong number does nothing, however often enter is pressed.
    await app.type('3');
    await app.press(KEY.enter);
    expect(await app.waitFor('(type 2)')).toContain('Photos to move: 3');
    await app.press(KEY.backspace);
    await app.type('2');
    await app.press(KEY.enter);
    const refused = await app.waitFor('cannot move photos to its trash');
    expect(refused).toContain('Source "photos"');
    app.unmount();
  });

  it('keeps every photo when a copy is missing, and offers nothing to confirm', async () => {
    await scene.cli(['plan', 'set', 'home', '--remove-destination', 'vault']);
    await scene.cli(['destination', 'remove', 'vault']);
    const app = renderApp(scene.app, { name: 'offload', source: 'photos' });
    const frame = await app.waitFor('Nothing can move now');
    expect(frame).toContain('Would move 0 photos');
    expect(frame).toMatch(/2\s+copies short of 3-2-1 without iCloud/);
    app.unmount();
  });
});
