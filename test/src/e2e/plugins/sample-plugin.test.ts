import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree } from '../cli.js';
import { createPluginWorld, type PluginWorld, type RunReport, samplePluginDir, treeDiff } from './plugin-world.js';

describe('the sample third-party plugin (examples/lifeboat-plugin-archive), installed from its folder', () => {
  let world: PluginWorld;

  beforeAll(async () => {
    world = await createPluginWorld({ seed: 21 });
    await world.ok(['plugins', 'add', samplePluginDir]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('is listed with its contribution and not yet activated', async () => {
    const archive = (await world.plugins()).find((p) => p.id === 'archive');
    expect(archive).toMatchObject({
      packageName: 'lifeboat-plugin-archive',
      version: '1.0.0',
      builtin: false,
      state: 'inactive',
      sources: [],
      destinations: ['archive'],
    });
    // Copied into the plugins folder (--install-links), so the source folder may move later.
    expect(archive?.dir).toBe(join(world.home, 'plugins', 'node_modules', 'lifeboat-plugin-archive'));
  });

  it('backs up a folder to a disk and an archive destination in one run', async () => {
    await world.ok(['destination', 'add', 'archive', 'arc', '--set', `path=${world.path('arc')}`]);
    await world.ok(['destination', 'add', 'disk', 'drive', '--set', `path=${world.path('drive')}`]);
    await world.ok(['plan', 'add', 'main', '--source', 'photos', '--destination', 'drive', '--destination', 'arc']);
    const run = await world.cli(['run', 'main', '--json']);
    expect(run.code, run.describe()).toBe(0);
    const report = run.json<RunReport>();
    expect(report).toMatchObject({ ok: true, failures: [], filesCopied: world.manifest.length });
    for (const name of ['drive', 'arc']) {
      expect(report.destinations.find((d) => d.name === name)).toMatchObject({ filesCopied: world.manifest.length });
    }
    expect(await treeDiff(world.path('drive'), world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  it('restores byte-identical files from the archive by its configured name', async () => {
    const restored = world.path('restored');
    const result = await world.cli(['restore', '--from', 'arc', '--to', restored, '--json']);
    expect(result.code, result.describe()).toBe(0);
    expect(result.json()).toMatchObject({ ok: true, filesRestored: world.manifest.length, failures: [] });
    expect(await treeDiff(restored, world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  it('refuses to remove the plugin while destination arc uses it', async () => {
    const refused = await world.cli(['plugins', 'remove', 'archive']);
    expect(refused.code, refused.describe()).toBe(2);
    expect(refused.stderr).toContain('destination arc');
    expect((await world.plugins()).map((p) => p.id)).toContain('archive');
  });

  it('removes the plugin once the plan and the destination using it are gone', async () => {
    const archived = await hashTree(world.path('arc'), { includeMeta: true });
    await world.ok(['plan', 'remove', 'main']);
    await world.ok(['destination', 'remove', 'arc']);
    const removed = await world.cli(['plugins', 'remove', 'archive']);
    expect(removed.code, removed.describe()).toBe(0);
    expect((await world.plugins()).map((p) => p.id)).not.toContain('archive');
    expect(existsSync(join(world.home, 'plugins', 'node_modules', 'lifeboat-plugin-archive'))).toBe(false);
    // Its type is gone with it; the backup it made is left as it was.
    const again = await world.cli(['destination', 'add', 'archive', 'arc2', '--set', `path=${world.path('arc2')}`]);
    expect(again.code, again.describe()).toBe(2);
    expect(again.stderr).toContain('Unknown destination type "archive"');
    expect(await hashTree(world.path('arc'), { includeMeta: true })).toEqual(archived);
    expect(archived.size).toBeGreaterThanOrEqual(world.manifest.length);
  }, 120_000);
});
