import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePlugin, type PluginInfo } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 16: `lifeboat plugins` never showed activation failures (the README says it does), a plugin
// type colliding with a built-in one was accepted, and a manifest `main` could point outside the plugin folder.
describe('plugin odds and ends', () => {
  let world: BackupWorld;
  const plugins = async () => (await world.cli(['plugins', '--json'])).json<PluginInfo[]>();
  const byPackage = async (name: string) => (await plugins()).find((p) => p.packageName === name);

  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 1616 }, ['drive-a']);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('`lifeboat plugins` shows a plugin that failed to activate in an earlier command, with the reason', async () => {
    const add = await world.cli(['plugins', 'add', fixturePlugin('lifeboat-plugin-throws-on-activate')], {
      timeoutMs: 120_000,
    });
    expect(add.code, add.describe()).toBe(0);
    expect(await byPackage('lifeboat-plugin-throws-on-activate')).toMatchObject({ state: 'inactive' });
    const use = await world.cli(['destination', 'add', 'explode', 'x', '--set', `path=${join(world.root, 'x')}`]);
    expect(use.code, use.describe()).not.toBe(0);
    const listed = await byPackage('lifeboat-plugin-throws-on-activate');
    expect(listed).toMatchObject({ state: 'failed', error: expect.stringContaining('boom at activate') });
    const table = await world.cli(['plugins']);
    expect(table.stdout).toMatch(/throws-on-activate .*failed: .*boom at activate/);
  });

  it('a plugin whose type collides with a built-in one is refused, and the built-in one keeps working', async () => {
    const add = await world.cli(['plugins', 'add', fixturePlugin('lifeboat-plugin-takes-disk')], {
      timeoutMs: 120_000,
    });
    expect(add.code, add.describe()).toBe(1);
    expect(add.stderr).toMatch(/contributes destination type "disk", which the built-in plugin disk already provides/);
    expect(await byPackage('lifeboat-plugin-takes-disk')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('already provides'),
    });
    const run = await world.cli(['run', 'main']);
    expect(run.code, run.describe()).toBe(0);
    expect(run.stderr).not.toMatch(/takes-disk was activated/);
  });

  it('a manifest `main` outside the plugin folder is refused and never imported', async () => {
    const marker = join(world.home, 'escaped-ran');
    await writeFile(
      join(world.home, 'escaped.js'),
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export function activate() { return {}; }`,
    );
    const add = await world.cli(['plugins', 'add', fixturePlugin('lifeboat-plugin-main-outside')], {
      timeoutMs: 120_000,
    });
    expect(add.code, add.describe()).toBe(1);
    expect(add.stderr).toMatch(/"lifeboat.main" \(\.\.\/\.\.\/\.\.\/escaped\.js\) points outside the plugin folder/);
    const use = await world.cli(['destination', 'add', 'outside', 'o', '--set', `path=${join(world.root, 'o')}`]);
    expect(use.code, use.describe()).not.toBe(0);
    expect(existsSync(marker), 'the file outside the plugin folder was imported').toBe(false);
    expect(await byPackage('lifeboat-plugin-main-outside')).toMatchObject({ state: 'failed' });
  });
});
