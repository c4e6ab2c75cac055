import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../cli.js';
import {
  createPluginWorld,
  filesUnder,
  fixturePlugin,
  keychainService,
  keyringItems,
  outputHits,
  type PluginWorld,
  type RunReport,
  readLog,
  requireHermeticKeyring,
  secretHits,
  treeDiff,
} from './plugin-world.js';

const RIGHT = 'the-token-value-XYZ';
const WRONG = 'wrong-token-value-QQQ';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// The fixture's plugin id is `tokened`; the keychain service names the home, the plugin, the kind and the instance.
// Both destinations expect the right token: t2 is given the wrong one.
const hash = `tokenSha256=${sha256(RIGHT)}`;

describe('destination secrets in the OS keychain', () => {
  let world: PluginWorld;
  const addTokened = (name: string, token: string) =>
    world.cli(
      ['destination', 'add', 'tokened', name, '--secret', 'token', '--set', `path=${world.path(name)}`, '--set', hash],
      { input: `${token}\n` },
    );

  beforeAll(async () => {
    requireHermeticKeyring();
    world = await createPluginWorld({ seed: 31 });
    await world.ok(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('stores a --secret read from stdin in the keychain, under the instance service', async () => {
    const add = await addTokened('t', RIGHT);
    expect(add.code, add.describe()).toBe(0);
    const items = await keyringItems(keychainService(world.home, 'tokened/destination/t'));
    expect(items.accounts).toEqual(['__keys__', 'token']);
    expect(items.secrets).toContain(RIGHT);
  });

  it('keeps a reference to the secret in the config file, never its value', async () => {
    const text = await readFile(join(world.home, 'config.json'), 'utf8');
    const config = JSON.parse(text) as { destinations: Record<string, unknown> };
    expect(config.destinations.t).toEqual({
      type: 'tokened',
      settings: { path: world.path('t'), tokenSha256: sha256(RIGHT) },
      secrets: ['token'],
      markerId: expect.any(String), // the destination's identity, checked on every use
    });
    expect(text).not.toContain(RIGHT);
  });

  it('hands the plugin its secret in a run: every photo lands byte-identical', async () => {
    await world.ok(['plan', 'add', 'p1', '--source', 'photos', '--destination', 't']);
    const run = await world.cli(['run', 'p1', '--json']);
    expect(run.code, run.describe()).toBe(0);
    expect(run.json<RunReport>()).toMatchObject({ ok: true, failures: [], filesCopied: world.manifest.length });
    expect(await treeDiff(world.path('t'), world.manifest)).toEqual({ missing: [], extra: [] });
    // The plugin logged what it got (add, then run): the right secret's length, through the instance logger.
    const connected = (await readLog(world.home)).filter(
      (e) => e.scope === 'destination:t' && e.message === 'connected',
    );
    expect(connected.map((e) => e.tokenLength)).toEqual([RIGHT.length, RIGHT.length]);
  }, 240_000);

  it('fails a run with "bad token" when the stored secret is wrong', async () => {
    const add = await addTokened('t2', WRONG);
    expect(add.code, add.describe()).toBe(0);
    await world.ok(['plan', 'add', 'p2', '--source', 'photos', '--destination', 't2']);
    const run = await world.cli(['run', 'p2', '--json']);
    expect(run.code, run.describe()).toBe(1);
    const report = run.json<RunReport>();
    expect(report.ok).toBe(false);
    expect(report.failures).toHaveLength(world.manifest.length);
    for (const failure of report.failures) {
      expect(failure).toMatchObject({ destination: 't2', message: expect.stringContaining('bad token') });
    }
    expect(await walkFiles(world.path('t2'))).toEqual([]);
  }, 240_000);

  it('refuses a secret given with --set, tells to use --secret, and stores nothing', async () => {
    const refused = await world.cli([
      'destination',
      'add',
      'tokened',
      't3',
      '--set',
      `path=${world.path('t3')}`,
      '--set',
      hash,
      '--set',
      `token=${RIGHT}`,
    ]);
    expect(refused.code, refused.describe()).toBe(2);
    expect(refused.stderr).toContain('"token" is a secret');
    expect(refused.stderr).toContain('--secret token');
    const list = await world.ok(['destination', 'list', '--json']);
    expect(list.json<{ name: string }[]>().map((d) => d.name)).toEqual(['t', 't2']);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/t3'))).accounts).toEqual([]);
  });

  it('takes the secret back out of the keychain when the add fails', async () => {
    const notAFolder = world.path('not-a-folder');
    await writeFile(notAFolder, 'a file where the destination folder would go\n');
    const add = await world.cli(
      [
        'destination',
        'add',
        'tokened',
        't4',
        '--secret',
        'token',
        '--set',
        `path=${join(notAFolder, 'sub')}`,
        '--set',
        hash,
      ],
      { input: `${RIGHT}\n` },
    );
    expect(add.code, add.describe()).toBe(1);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/t4'))).accounts).toEqual([]);
    const list = await world.ok(['destination', 'list', '--json']);
    expect(list.json<{ name: string }[]>().map((d) => d.name)).toEqual(['t', 't2']);
  });

  it('deletes the secrets of a removed destination from the keychain, and only those', async () => {
    const refused = await world.cli(['destination', 'remove', 't']);
    expect(refused.code, refused.describe()).toBe(2); // plan p1 still uses it
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/t'))).accounts).toEqual([
      '__keys__',
      'token',
    ]);

    await world.ok(['plan', 'remove', 'p1']);
    const removed = await world.cli(['destination', 'remove', 't']);
    expect(removed.code, removed.describe()).toBe(0);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/t'))).accounts).toEqual([]);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/t2'))).accounts).toEqual([
      '__keys__',
      'token',
    ]);
  });

  it('never writes a secret value to the state folder, the destinations or any command output', async () => {
    // Everything Lifeboat keeps (config, catalog and its WAL, logs, locks, plugin data, the plugins project),
    // except the installed packages' code; plus every file on the destinations.
    const state = await filesUnder(world.home, (rel) => rel.startsWith('plugins/node_modules/'));
    expect(state).toEqual(
      expect.arrayContaining(['config.json', 'catalog.sqlite', 'logs/lifeboat.log'].map((f) => join(world.home, f))),
    );
    const drives = [...(await filesUnder(world.path('t'))), ...(await filesUnder(world.path('t2')))];
    expect(await secretHits([...state, ...drives], [RIGHT, WRONG])).toEqual([]);
    expect(world.transcripts.length).toBeGreaterThan(10);
    expect(outputHits(world.transcripts, [RIGHT, WRONG])).toEqual([]);
  });
});
