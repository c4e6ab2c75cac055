import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

type App = ReturnType<typeof renderApp>;

/** Moves down until the focused row (`> `) starts with `label`. */
async function focus(app: App, label: string) {
  for (let i = 0; i < 30; i++) {
    if (
      app
        .frame()
        .split('\n')
        .some((l) => l.trimStart().startsWith(`> ${label}`))
    )
      return;
    await app.press(KEY.down);
  }
  throw new Error(`no row "${label}":\n${app.frame()}`);
}

describe('the manage screen', () => {
  let scene: Scene;
  beforeEach(async () => {
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), [{ name: 'IMG_0001.JPG', date: '2021-03-01T10:00:00Z' }]);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-b', '--set', `path=${join(scene.root, 'b')}`]);
    await scene.cli(['plan', 'add', 'family', '--source', 'photos', '--destination', 'drive-a']);
  });
  afterEach(() => scene.dispose());

  it('opens from home with [m] and lists what each source, destination and plan is', async () => {
    const app = renderApp(scene.app);
    await app.waitFor('PLANS');
    await app.press('m');
    const frame = await app.waitFor('DESTINATIONS');
    expect(frame).toMatch(/> photos\s+folder\s+in family · path=/);
    expect(frame).toMatch(/drive-a\s+disk\s+in family · path=/);
    expect(frame).toMatch(/drive-b\s+disk\s+path=/);
    expect(frame).toMatch(/family\s+photos → drive-a · only when asked/);
    expect(frame.split('\n').at(-1)).toContain('[e] edit  [d] remove  [esc] back');
    await app.press('?');
    const help = (await app.waitFor('Help for this screen')).replace(/\s+/g, ' ');
    expect(help).toContain('removing never deletes backed-up copies');
    expect(help).toMatch(/\[d\] remove .*\[esc\] back/);
    app.unmount();
  });

  it("edits a destination's setting in the prefilled form, and refuses a path holding another destination", async () => {
    const app = renderApp(scene.app, { name: 'manage' });
    await app.waitFor('DESTINATIONS');
    await focus(app, 'drive-a');
    await app.press('e');
    const form = await app.waitFor('Path *');
    expect(form).toContain(join(scene.root, 'a')); // prefilled
    await focus(app, 'Offsite');
    await app.press(KEY.space);
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    expect(await app.waitFor('Destination "drive-a": offsite=true.')).toContain('drive-b');
    expect(scene.app.config().destinations['drive-a']?.settings.offsite).toBe(true);

    // Moved to where drive-b's backup is: refused the same way `destination set` refuses it, nothing saved.
    await app.press('e');
    await app.waitFor('Path *');
    await app.press(KEY.ctrlU);
    await app.type(join(scene.root, 'b'));
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    expect(await app.waitFor('Problem:')).toMatch(/holds another Lifeboat destination \("drive-b"/);
    expect(scene.app.config().destinations['drive-a']?.settings.path).toBe(join(scene.root, 'a'));
    app.unmount();
  });

  it('refuses to remove a destination a plan uses, with the reason and what to do; removes a plan after asking', async () => {
    const app = renderApp(scene.app, { name: 'manage' });
    await app.waitFor('DESTINATIONS');
    await focus(app, 'drive-a');
    await app.press('d');
    await app.waitFor('Remove Destination "drive-a"? Its backed-up copies are kept.');
    await app.press('y');
    const refused = await app.waitFor('What to do:');
    expect(refused).toContain('destination "drive-a" is used by plan family');
    expect(refused).toContain('lifeboat plan remove family');
    expect(scene.app.config().destinations['drive-a']).toBeDefined();

    await focus(app, 'family');
    await app.press('d');
    await app.waitFor('Remove Plan "family"?');
    await app.press('n'); // any other key keeps it
    await app.waitFor(/> family/);
    expect(app.frame()).not.toContain('Remove Plan');
    expect(scene.app.config().plans.family).toBeDefined();
    await app.press('d');
    await app.waitFor('Remove Plan "family"?');
    await app.press('y');
    await app.waitFor('Plan "family" removed. Backed-up copies are kept.');
    expect(scene.app.config().plans.family).toBeUndefined();

    // No plan uses drive-a now: it goes, and its copies stay on the drive.
    await app.press(KEY.up);
    await app.waitFor('> drive-a');
    await app.press('d');
    await app.waitFor('Remove Destination "drive-a"?');
    await app.press('y');
    await app.waitFor('Destination "drive-a" removed. Backed-up copies are kept.');
    expect(scene.app.config().destinations['drive-a']).toBeUndefined();
    expect(existsSync(join(scene.root, 'a'))).toBe(true);
    app.unmount();
  });

  it('adds a destination to a plan and shows the 3-2-1 evaluation as `plan set` prints it', async () => {
    const app = renderApp(scene.app, { name: 'manage' });
    await app.waitFor('DESTINATIONS');
    await focus(app, 'family');
    await app.press('e');
    await app.waitFor(/\[x\] destination\s+drive-a/);
    await app.waitFor('2 copies');
    await app.burst(KEY.down, KEY.down, KEY.space); // in one chunk, as over SSH: the space ticks the row reached

    await app.waitFor('3 copies');
    await app.press(KEY.enter);
    const done = await app.waitFor('3-2-1: not met');
    expect(done).toContain('Plan "family": destination drive-b added.');
    expect(done).toMatch(/MISS .*/);
    expect(scene.app.config().plans.family?.destinations).toEqual(['drive-a', 'drive-b']);
    expect(done).toMatch(/family\s+photos → drive-a, drive-b/);
    app.unmount();
  });
});
