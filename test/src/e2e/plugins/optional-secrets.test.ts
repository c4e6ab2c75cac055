import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// Issue 13: a secret a plugin declares optional (a server without sign-in) is not demanded, and the plugin gets
// undefined; and `destination set --secret` changes (or first stores) a secret in the keychain only.
const TOKEN = 'optional-token-value-7Q';
const NEW = 'replacement-token-value-9Z';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const service = (name: string) => keychainService(`tokened/destination/${name}`);

interface ConfigFile {
  destinations: Record<string, { secrets?: string[]; settings: Record<string, unknown> }>;
}

describe('optional secrets and `destination set --secret`', () => {
  let world: PluginWorld;
  const config = async () => JSON.parse(await readFile(join(world.home, 'config.json'), 'utf8')) as ConfigFile;
  const connected = async (name: string) =>
    (await readLog(world.home)).filter((e) => e.scope === `destination:${name}` && e.message === 'connected');

  beforeAll(async () => {
    requireHermeticKeyring();
    world = await createPluginWorld({ seed: 131, count: 4 });
    await world.ok(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('adds a destination without its optional secret: nothing is asked or stored, the plugin gets undefined', async () => {
    const add = await world.cli(['destination', 'add', 'maybe-tokened', 'open', '--set', `path=${world.path('open')}`]);
    expect(add.code, add.describe()).toBe(0);
    expect((await config()).destinations.open?.secrets).toBeUndefined();
    expect((await keyringItems(service('open'))).accounts).toEqual([]);
    await world.ok(['plan', 'add', 'p', '--source', 'photos', '--destination', 'open']);
    const run = await world.cli(['run', 'p', '--json']);
    expect(run.code, run.describe()).toBe(0);
    expect(run.json<RunReport>()).toMatchObject({ ok: true, filesCopied: world.manifest.length });
    expect(await treeDiff(world.path('open'), world.manifest)).toEqual({ missing: [], extra: [] });
    expect((await connected('open')).map((e) => e.tokenGiven)).toEqual([false, false]); // add, then run
  }, 240_000);

  it('takes the optional secret when given, and the plugin gets it', async () => {
    const add = await world.cli(
      [
        'destination',
        'add',
        'maybe-tokened',
        'closed',
        '--secret',
        'token',
        '--set',
        `path=${world.path('closed')}`,
        '--set',
        `tokenSha256=${sha256(TOKEN)}`,
      ],
      { input: `${TOKEN}\n` },
    );
    expect(add.code, add.describe()).toBe(0);
    expect((await config()).destinations.closed?.secrets).toEqual(['token']);
    expect((await keyringItems(service('closed'))).secrets).toEqual(expect.arrayContaining([TOKEN]));
    expect((await connected('closed')).map((e) => e.tokenLength)).toEqual([TOKEN.length]);
  });

  it('a required secret is still demanded', async () => {
    const add = await world.cli([
      'destination',
      'add',
      'tokened',
      't',
      '--set',
      `path=${world.path('t')}`,
      '--set',
      `tokenSha256=${sha256(TOKEN)}`,
    ]);
    expect(add.code, add.describe()).toBe(2);
    expect(add.stderr).toContain('"tokened" needs the secret token');
  });

  it('`destination set --secret` stores a first optional secret in the keychain, and the plugin uses it', async () => {
    const set = await world.cli(
      ['destination', 'set', 'open', '--secret', 'token', '--set', `tokenSha256=${sha256(NEW)}`],
      { input: `${NEW}\n` },
    );
    expect(set.code, set.describe()).toBe(0);
    expect(set.stdout).toContain('secret token stored');
    expect((await config()).destinations.open?.secrets).toEqual(['token']);
    expect((await keyringItems(service('open'))).secrets).toEqual(expect.arrayContaining([NEW]));
    await world.ok(['plan', 'add', 'q', '--source', 'photos', '--destination', 'open']);
    const run = await world.cli(['run', 'q', '--json']);
    expect(run.code, run.describe()).toBe(0);
    expect((await connected('open')).at(-1)).toMatchObject({ tokenGiven: true, tokenLength: NEW.length });
  }, 240_000);

  it('`destination set --secret` replaces a stored secret: the old value is gone from the keychain', async () => {
    const set = await world.cli(
      ['destination', 'set', 'closed', '--secret', 'token', '--set', `tokenSha256=${sha256(NEW)}`],
      { input: `${NEW}\n` },
    );
    expect(set.code, set.describe()).toBe(0);
    expect(set.stdout).toContain('secret token replaced');
    const items = await keyringItems(service('closed'));
    expect(items.secrets).toEqual(expect.arrayContaining([NEW]));
    expect(items.secrets).not.toContain(TOKEN);
  });

  it('no secret value reaches the config, the log, the drives or any command line or output', async () => {
    const state = await filesUnder(world.home, (rel) => rel.startsWith('plugins/node_modules/'));
    expect(state).toEqual(
      expect.arrayContaining([join(world.home, 'config.json'), join(world.home, 'logs', 'lifeboat.log')]),
    );
    const drives = [...(await filesUnder(world.path('open'))), ...(await filesUnder(world.path('closed')))];
    expect(await secretHits([...state, ...drives], [TOKEN, NEW])).toEqual([]);
    // Secrets go in on stdin: no argument of any command carried one, and no output repeated one.
    expect(world.transcripts.flatMap((t) => t.args).filter((a) => a.includes(TOKEN) || a.includes(NEW))).toEqual([]);
    expect(outputHits(world.transcripts, [TOKEN, NEW])).toEqual([]);
  });
});
