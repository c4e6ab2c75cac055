import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, walkFiles } from '../cli.js';
import { type BackupWorld, createBackupWorld } from '../world.js';
import { expectCleanFailure } from './expect.js';

// Issue 16, class 7: settings were accepted without checking: layouts with unknown or broken placeholders (files
// landed with no names) and a destination inside its source (each run backed up the previous copies again).
describe('settings are checked when added', () => {
  let world: BackupWorld;
  const destinationNames = async () =>
    (await world.cli(['destination', 'list', '--json'])).json<Array<{ name: string }>>().map((d) => d.name);

  beforeAll(async () => {
    world = await createBackupWorld({ count: 6, seed: 1607 }, ['drive-a']);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it.each([
    ['{yyyy}/{mm}/{nmae}', /Unknown placeholder \{nmae\}/],
    ['{yyyy}/{mm}/{name', /does not belong to a placeholder/],
    ['{yyyy}/{{name}}', /does not belong to a placeholder/],
    ['{yyyy}/{mm}/', /does not end with the file's name/],
    ['{name}/{yyyy}', /does not end with the file's name/],
    ['{yyyy}/../{name}', /"\.\." folder/],
  ])('layout %s is refused on add, and nothing is created', async (layout, message) => {
    const path = join(world.root, `bad-layout-${layout.length}`);
    const result = await world.cli([
      'destination',
      'add',
      'disk',
      'bad',
      '--set',
      `path=${path}`,
      '--set',
      `layout=${layout}`,
    ]);
    expectCleanFailure(result, message, /\{yyyy\}\/\{mm\}\/\{name\}/);
    expect(existsSync(path), `${path} created for a refused destination`).toBe(false);
    expect(await destinationNames()).not.toContain('bad');
  });

  it('a broken layout put in the config by hand stops the run before any file lands with no name', async () => {
    const config = join(world.home, 'config.json');
    const original = await readFile(config, 'utf8');
    const edited = JSON.parse(original);
    edited.destinations['drive-a'].settings.layout = '{yyyy}/{nmae}';
    await writeFile(config, JSON.stringify(edited));
    expectCleanFailure(await world.cli(['run', 'main']), /layout/, /nmae/);
    expect(await walkFiles(world.drives[0]!.path)).toEqual([]);
    await writeFile(config, original);
  });

  it('a destination inside its source is refused by plan add, and by run for a plan edited in by hand', async () => {
    const inside = join(world.source, 'Backup');
    const added = await world.cli(['destination', 'add', 'disk', 'nested', '--set', `path=${inside}`]);
    expect(added.code, added.describe()).toBe(0); // on its own it is just a folder
    const plan = await world.cli(['plan', 'add', 'loop', '--source', 'photos', '--destination', 'nested']);
    expectCleanFailure(plan, /Destination "nested" .* is inside source "photos"/, /outside/);
    const config = join(world.home, 'config.json');
    const edited = JSON.parse(await readFile(config, 'utf8'));
    edited.plans.loop = { sources: ['photos'], destinations: ['nested'] };
    await writeFile(config, JSON.stringify(edited));
    const before = await hashTree(inside, { includeMeta: true, includeSidecars: true });
    expectCleanFailure(await world.cli(['run', 'loop']), /is inside source "photos"/);
    expect(await hashTree(inside, { includeMeta: true, includeSidecars: true })).toEqual(before);
  });

  it('a source inside a destination is refused too', async () => {
    const within = join(world.drives[0]!.path, 'Imports');
    await mkdir(within);
    const result = await world.cli(['source', 'add', 'folder', 'within', '--set', `path=${within}`]);
    expect(result.code, result.describe()).toBe(0);
    const plan = await world.cli(['plan', 'add', 'loop2', '--source', 'within', '--destination', 'drive-a']);
    expectCleanFailure(plan, /Source "within" .* is inside destination "drive-a"/);
    await rm(within, { recursive: true });
  });

  it('a sound plan still runs', async () => {
    const run = await world.cli(['run', 'main']);
    expect(run.code, run.describe()).toBe(0);
    expect((await walkFiles(world.drives[0]!.path)).length).toBe(6);
  });
});
