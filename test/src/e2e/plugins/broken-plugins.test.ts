import { existsSync } from 'node:fs';
import { PLUGIN_API_VERSION } from '@lifeboat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, walkFiles } from '../cli.js';
import {
  createPluginWorld,
  fixturePlugin,
  type PluginInfo,
  type PluginWorld,
  pluginByPackage,
  type RunReport,
  readLog,
  treeDiff,
} from './plugin-world.js';

const BAD_MANIFEST = 'lifeboat-plugin-bad-manifest';
const FUTURE_API = 'lifeboat-plugin-future-api';
const THROWS = 'lifeboat-plugin-throws-on-activate';
const FLAKY = 'lifeboat-plugin-flaky-writes';

describe('broken plugins installed next to working ones', () => {
  let world: PluginWorld;
  const installs = new Map<string, CliResult>();
  let plugins: PluginInfo[];
  let explode: CliResult;
  let run: CliResult;

  beforeAll(async () => {
    world = await createPluginWorld({ seed: 11 });
    // One at a time: each is an `npm install` in the same plugins folder.
    for (const name of [BAD_MANIFEST, FUTURE_API, THROWS, FLAKY]) {
      installs.set(name, await world.cli(['plugins', 'add', fixturePlugin(name)]));
    }
    plugins = await world.plugins();
    explode = await world.cli(['destination', 'add', 'explode', 'x', '--set', `path=${world.path('x')}`]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
    await world.ok(['destination', 'add', 'disk', 'drive', '--set', `path=${world.path('drive')}`]);
    await world.ok(['destination', 'add', 'flaky', 'fl', '--set', `path=${world.path('fl')}`]);
    await world.ok(['plan', 'add', 'main', '--source', 'photos', '--destination', 'drive', '--destination', 'fl']);
    run = await world.cli(['run', 'main', '--json']);
  }, 240_000);
  afterAll(() => world?.cleanup());

  it('installs every fixture, even those whose manifest cannot be used', () => {
    for (const name of [BAD_MANIFEST, FUTURE_API, THROWS, FLAKY]) {
      expect(
        pluginByPackage(plugins, name),
        `${name} missing from plugins --json:\n${installs.get(name)!.describe()}`,
      ).toBeDefined();
    }
    for (const name of [THROWS, FLAKY]) expect(installs.get(name)!.code, installs.get(name)!.describe()).toBe(0);
  });

  it('lists a manifest without "main" as failed, naming the plugin and the field, and offers none of its types', () => {
    const plugin = pluginByPackage(plugins, BAD_MANIFEST);
    expect(plugin).toMatchObject({ state: 'failed', destinations: [] });
    expect(plugin?.error).toContain(BAD_MANIFEST);
    expect(plugin?.error).toMatch(/\bmain\b/);
  });

  it('lists a plugin written for plugin API ^2.0.0 as failed, naming it, its range and the supported version', () => {
    const plugin = pluginByPackage(plugins, FUTURE_API);
    expect(plugin).toMatchObject({ state: 'failed', destinations: [] });
    expect(plugin?.error).toContain(FUTURE_API);
    expect(plugin?.error).toContain('^2.0.0');
    expect(plugin?.error).toContain(PLUGIN_API_VERSION);
  });

  it('lists the good manifests as installed and not yet activated: listing runs no plugin code', () => {
    expect(pluginByPackage(plugins, THROWS)).toMatchObject({
      id: 'throws-on-activate',
      state: 'inactive',
      builtin: false,
      destinations: ['explode'],
    });
    expect(pluginByPackage(plugins, FLAKY)).toMatchObject({
      id: 'flaky-writes',
      state: 'inactive',
      destinations: ['flaky'],
    });
    expect(plugins.find((p) => p.id === 'disk')).toMatchObject({ builtin: true, destinations: ['disk'] });
  });

  it('refuses a destination whose plugin throws in activate(), naming the plugin and its error, and saves nothing', async () => {
    expect(explode.code, explode.describe()).not.toBe(0);
    expect(explode.stderr).toContain('throws-on-activate');
    expect(explode.stderr).toContain('boom at activate');
    const list = await world.ok(['destination', 'list', '--json']);
    expect(list.json<{ name: string }[]>().map((d) => d.name)).not.toContain('x');
  });

  it('refuses the types of a plugin that failed to load, saying which plugin failed and why', async () => {
    const add = await world.cli(['destination', 'add', 'from-the-future', 'y']);
    expect(add.code, add.describe()).toBe(2);
    expect(add.stderr).toContain('Unknown destination type "from-the-future"');
    expect(add.stderr).toContain(FUTURE_API);
  });

  it('fails a run whose flaky destination dies mid-write, naming it and its error in the report', () => {
    expect(run.code, run.describe()).toBe(1);
    const report = run.json<RunReport>();
    expect(report.ok).toBe(false);
    expect(report.destinations.find((d) => d.name === 'fl')).toMatchObject({ filesCopied: 0 });
    // One failure per photo, each naming the flaky destination and what its plugin threw.
    expect(report.failures).toHaveLength(world.manifest.length);
    for (const failure of report.failures) {
      expect(failure).toMatchObject({ destination: 'fl', message: expect.stringContaining('disk exploded mid-write') });
    }
  });

  it('still copies every photo, byte-identical, to the disk destination of the same run', async () => {
    const report = run.json<RunReport>();
    expect(report.destinations.find((d) => d.name === 'drive')).toEqual({
      name: 'drive',
      filesCopied: world.manifest.length,
      bytesCopied: world.manifest.reduce((sum, e) => sum + e.size, 0),
    });
    expect(await treeDiff(world.path('drive'), world.manifest)).toEqual({ missing: [], extra: [] });
  });

  it('leaves no partial file under a final name on the flaky destination', async () => {
    // Precondition: every photo write really started, received bytes and died (the plugin logs it).
    const explosions = (await readLog(world.home)).filter(
      (e) => e.scope === 'destination:fl' && e.message === 'exploding mid-write',
    );
    expect(explosions).toHaveLength(world.manifest.length);
    for (const e of explosions) expect(e.received).toBeGreaterThan(0);
    const all = await walkFiles(world.path('fl'), { includeMeta: true });
    expect(all.filter((rel) => rel.startsWith('.lifeboat/tmp/')).length).toBeGreaterThan(0);
    expect(await walkFiles(world.path('fl'))).toEqual([]);
  });

  it('keeps `plugins`, `status` and a run of a plan without the broken plugins working', async () => {
    const table = await world.cli(['plugins']);
    expect(table.code, table.describe()).toBe(0);
    expect(table.stdout).toContain('throws-on-activate');
    expect(table.stdout).toMatch(/failed: Plugin future-api/);
    const listed = await world.plugins();
    expect(listed.map((p) => p.id)).toEqual(expect.arrayContaining(['disk', 'flaky-writes', 'throws-on-activate']));
    expect(listed.filter((p) => !p.builtin)).toHaveLength(4);

    const status = await world.cli(['status', '--json']);
    expect(status.code, status.describe()).toBe(0);

    await world.ok(['destination', 'add', 'disk', 'drive2', '--set', `path=${world.path('drive2')}`]);
    await world.ok(['plan', 'add', 'safe', '--source', 'photos', '--destination', 'drive2']);
    const safe = await world.cli(['run', 'safe', '--json']);
    expect(safe.code, safe.describe()).toBe(0);
    expect(safe.json<RunReport>()).toMatchObject({ ok: true, failures: [], filesCopied: world.manifest.length });
    expect(await treeDiff(world.path('drive2'), world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  // The hint on a failed plugin is "update or remove the plugin": removal must work for those above all.
  it.each([BAD_MANIFEST, FUTURE_API])(
    'uninstalls %s, which failed to load, by the id `plugins` shows',
    async (name) => {
      const broken = pluginByPackage(await world.plugins(), name)!;
      const removed = await world.cli(['plugins', 'remove', broken.id]);
      expect(removed.code, removed.describe()).toBe(0);
      expect(
        pluginByPackage(await world.plugins(), name),
        `still listed after:\n${removed.describe()}`,
      ).toBeUndefined();
      expect(existsSync(broken.dir)).toBe(false);
    },
  );
});
