/**
 * Issue 15's screens for everyday use, over real state: a failed run says its problem and shows it in full,
 * home refreshes by itself and says "stopped" for a stopped run, `?` explains every screen, the run history,
 * and verify & repair started and watched from the UI.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

const PHOTOS = [
  { name: 'IMG_0001.JPG', date: '2019-12-14T16:02:00Z' },
  { name: 'IMG_0002.JPG', date: '2019-12-15T09:12:00Z' },
  { name: 'IMG_0003.JPG', date: '2020-07-04T12:00:00Z' },
];

/** A copy's file on a drive (not the .lifeboat bookkeeping). */
function aCopy(drive: string): string {
  const file = readdirSync(drive, { recursive: true, withFileTypes: true }).find(
    (e) => e.isFile() && !join(e.parentPath, e.name).includes('.lifeboat'),
  );
  if (!file) throw new Error(`no copy on ${drive}`);
  return join(file.parentPath, file.name);
}

describe('everyday screens', () => {
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

  it('a failed run shows its problem line, an error counter that agrees, and [e] the whole error', async () => {
    rmSync(join(scene.root, 'b'), { recursive: true, force: true }); // drive-b "unplugged"
    const app = renderApp(scene.app, { name: 'run', plan: 'family' });
    const done = await app.waitFor('FINISHED WITH PROBLEMS', 30_000);
    expect(done).toMatch(/Problem: .*drive-b|Problem: Destination "drive-b"/);
    expect(done).toMatch(/errors: [1-9]/);
    await app.press('e');
    const full = await app.waitFor('What to do:');
    expect(full).toContain('destination: drive-b');
    expect(full).toMatch(/code: LIFEBOAT_/);
    await app.press(KEY.esc);
    await app.waitFor('FINISHED WITH PROBLEMS');
    // Back from the error view is the same finished run, not a new one.
    expect(scene.app.runs.list('family')).toHaveLength(1);
    await app.press(KEY.enter);
    const home = await app.waitFor('FAILED');
    expect(home).toContain("[e] shows the last run's problems in full");
    await app.press('e');
    expect(await app.waitFor('What to do:')).toContain('destination: drive-b');
    app.unmount();
  });

  it('home refreshes while a run happens elsewhere, and says "stopped" for a stopped run, not FAILED', async () => {
    const app = renderApp(scene.app);
    await app.waitFor(/family\s+never/);
    // A run stopped by its user (after its first copy): recorded as stopped.
    const stop = new AbortController();
    await scene.app.runner.run('family', {
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'copied') stop.abort(new Error('stopped by the user'));
      },
    });
    const stopped = await app.waitFor(/family\s+today \d\d:\d\d stopped/);
    expect(stopped).toContain('STOPPED');
    expect(stopped).not.toContain('FAILED');
    // Another run, not started from this screen: home shows it without a key pressed.
    await scene.cli(['run', 'family']);
    expect(await app.waitFor(/family\s+today \d\d:\d\d ok, \d+ new/)).not.toContain('STOPPED');
    app.unmount();
  });

  it('? explains the screen with every key, and in a text field ? is typed, not help', async () => {
    const app = renderApp(scene.app);
    await app.waitFor('[?] help');
    await app.press('?');
    const help = await app.waitFor('Help for this screen');
    expect(help).toContain('[h]');
    expect(help).toContain('run history');
    expect(help).toContain('verify & repair');
    await app.press('x'); // any key closes the help, and does nothing else
    await app.waitFor('PLANS');
    expect(app.frame()).not.toContain('Plugins');
    await app.press('s');
    await app.waitFor('Schedule');
    await app.press('?');
    await app.waitFor(/daily@02:00\?▏/);
    expect(app.frame()).not.toContain('Help for this screen');
    await app.press(KEY.down, '?');
    expect(await app.waitFor('Help for this screen')).toContain('[pgup/pgdn]');
    app.unmount();
  });

  it('lists the runs, shows one in full, and verifies and repairs from the screen', async () => {
    await scene.cli(['run', 'family']);
    const app = renderApp(scene.app);
    await app.waitFor(/family\s+today/);
    await app.press('h');
    await app.waitFor(/1\s+family\s+today \d\d:\d\d\s+ok/);
    await app.press(KEY.enter);
    expect(await app.waitFor('Run 1 · plan "family" · ok')).toMatch(/drive-a\s+copied 3 files/);
    await app.press(KEY.esc);
    await app.waitFor('[enter] show');
    await app.press(KEY.esc);
    await app.waitFor('PLANS');

    writeFileSync(aCopy(join(scene.root, 'a')), 'not the photo any more');
    await app.press('v');
    await app.waitFor('> Verify a sample');
    await app.press(KEY.down, KEY.enter);
    const found = await app.waitFor('PROBLEMS FOUND', 30_000);
    expect(found).toMatch(/drive-a: \d of 3 copies read back, 2 healthy, 1 problem/);
    await app.press('e');
    expect(await app.waitFor('Problem:')).toContain('destination: drive-a');
    await app.press(KEY.esc);
    await app.waitFor('[e] problems in full');
    await app.press(KEY.enter);
    await app.waitFor('PLANS');
    await app.press('v');
    await app.waitFor('> Verify a sample');
    await app.press(KEY.down, KEY.down, KEY.enter);
    const repaired = await app.waitFor('ALL HEALTHY', 30_000);
    expect(repaired).toContain('repaired: 1');
    app.unmount();
  });

  it('a digit in the plan name is text only, and a burst of Down keys moves as many rows', async () => {
    const app = renderApp(scene.app, { name: 'wizard', step: 'plan' });
    await app.waitFor(/> Plan name/);
    await app.burst('kids', '5');
    expect(await app.waitFor('kids5▏')).not.toContain('kids55');
    await app.burst(KEY.left, KEY.left, KEY.backspace);
    await app.waitFor('ki▏s5');
    await app.burst(KEY.down, KEY.down);
    await app.waitFor(/> Destination\s+\[x\] drive-a/);
    await app.burst(' ');
    await app.waitFor(/> Destination\s+\[ \] drive-a/);
    app.unmount();
  });
});
