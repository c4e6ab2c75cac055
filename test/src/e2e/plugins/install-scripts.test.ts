import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPluginWorld, fixturePlugin, type PluginWorld } from './plugin-world.js';

// `plugins add` runs npm install, says so, and lets npm run no install scripts unless --allow-scripts is given.
describe('plugins add and install scripts', () => {
  let world: PluginWorld;
  const plugin = fixturePlugin('lifeboat-plugin-install-script');
  const ranIn = (home: string) =>
    existsSync(join(home, 'plugins', 'node_modules', 'lifeboat-plugin-install-script', 'postinstall-ran'));

  beforeAll(async () => {
    world = await createPluginWorld({ seed: 5, count: 1 });
  }, 120_000);
  afterAll(() => world?.cleanup());

  it('installs without running install scripts, and says so', async () => {
    const added = await world.ok(['plugins', 'add', plugin]);
    expect(added.stderr).toContain('Running npm install');
    expect(added.stderr).toContain('without install scripts (--allow-scripts to allow them)');
    expect(added.stderr).toContain('Installed plugin install-script 1.0.0');
    expect(existsSync(join(world.home, 'plugins', 'node_modules', 'lifeboat-plugin-install-script'))).toBe(true);
    expect(ranIn(world.home)).toBe(false);
  }, 120_000);

  it('runs them with --allow-scripts', async () => {
    const home = world.path('home-allowing');
    const added = await world.ok(['plugins', 'add', plugin, '--allow-scripts'], { home });
    expect(added.stderr).toContain('with install scripts (--allow-scripts)');
    expect(ranIn(home)).toBe(true);
  }, 120_000);
});
