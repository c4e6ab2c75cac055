import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

describe('the schedule screen', () => {
  let scene: Scene;
  const saved = { dir: process.env.LIFEBOAT_SCHEDULE_DIR, flavour: process.env.LIFEBOAT_SCHEDULE_FLAVOUR };
  beforeEach(async () => {
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), [{ name: 'IMG_0001.JPG', date: '2021-03-01T10:00:00Z' }]);
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    await scene.cli(['destination', 'add', 'disk', 'drive-a', '--set', `path=${join(scene.root, 'a')}`]);
    await scene.cli(['plan', 'add', 'family', '--source', 'photos', '--destination', 'drive-a']);
    // Installing writes into this folder instead of the user's systemd folder.
    process.env.LIFEBOAT_SCHEDULE_DIR = join(scene.root, 'units');
    process.env.LIFEBOAT_SCHEDULE_FLAVOUR = 'systemd';
  });
  afterEach(() => {
    for (const [k, v] of [
      ['LIFEBOAT_SCHEDULE_DIR', saved.dir],
      ['LIFEBOAT_SCHEDULE_FLAVOUR', saved.flavour],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    scene.dispose();
  });

  it('checks a schedule as it is typed, shows the next three runs, and saves it to the plan', async () => {
    const app = renderApp(scene.app);
    await app.waitFor('family');
    expect(app.frame()).toContain('Plan "family" runs only when asked: [s] gives it a schedule.');
    await app.press('s');
    const preset = await app.waitFor('OK: daily at 02:00');
    expect(preset.match(/\d{4}-\d\d-\d\d 02:00:00/g)).toHaveLength(3);
    await app.press(KEY.ctrlU);
    await app.type('every 0x');
    const bad = await app.waitFor('NOT VALID');
    expect(bad).toContain('Problem: Invalid schedule "every 0x"');
    expect(bad).toContain('What to do: Use hourly, daily@HH:MM');
    await app.press(KEY.enter);
    expect(scene.app.config().plans.family?.schedule).toBeUndefined();
    await app.press(KEY.ctrlU);
    await app.type('30 2 * * 1-5');
    const cron = await app.waitFor('OK: cron 30 2 * * 1-5');
    expect(cron.match(/\d{4}-\d\d-\d\d 02:30:00/g)).toHaveLength(3);
    await app.press(KEY.enter);
    await app.waitFor('schedule cron 30 2 * * 1-5');
    expect(scene.app.config().plans.family?.schedule).toBe('30 2 * * 1-5');
    await app.press(KEY.esc);
    const home = await app.waitFor('PLANS');
    // Saved, but no daemon runs and nothing is installed in the OS: no next run is promised (issue 15).
    expect(home).toMatch(/family\s+never\s+NOT ACTIVE\s+NOT RUN YET/);
    expect(home).toContain('"family" has a schedule but nothing runs it');
    app.unmount();
  });

  it('installs the schedule in the OS scheduler with one action', async () => {
    const app = renderApp(scene.app, { name: 'schedule', plan: 'family' });
    await app.waitFor('OK: daily at 02:00');
    await app.press(KEY.down, KEY.down, KEY.enter);
    await app.waitFor(/install|timer|systemd/i);
    const units = readdirSync(join(scene.root, 'units'));
    expect(units.some((u) => u.endsWith('.timer'))).toBe(true);
    const timer = readFileSync(join(scene.root, 'units', units.find((u) => u.endsWith('.timer'))!), 'utf8');
    expect(timer).toContain('02:00');
    app.unmount();
  });
});
