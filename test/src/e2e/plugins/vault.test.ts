import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileVault } from '@lifeboat/core';
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
  requireHermeticKeyring,
  secretHits,
  treeDiff,
} from './plugin-world.js';

const TOKEN = 'vault-token-value-7Hq';
const PASSPHRASE = 'correct horse battery staple';
const WRONG_PASSPHRASE = 'incorrect mule';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hash = `tokenSha256=${sha256(TOKEN)}`;
const VAULT = { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: PASSPHRASE };
// LIFEBOAT_SECRETS unset ('' counts as unset), while a vault passphrase is at hand: the keychain must still be used.
const DEFAULT = { LIFEBOAT_SECRETS: '', LIFEBOAT_VAULT_PASSPHRASE: PASSPHRASE };

describe('destination secrets in the encrypted vault (LIFEBOAT_SECRETS=vault)', () => {
  let world: PluginWorld;
  let vaultFile: string;
  const addTokened = (name: string, env: Record<string, string>, home = world.home) =>
    world.cli(
      ['destination', 'add', 'tokened', name, '--secret', 'token', '--set', `path=${world.path(name)}`, '--set', hash],
      { input: `${TOKEN}\n`, env, home },
    );
  // Opened with core's own vault code, read-only: what the encrypted file really holds for an instance.
  const inVault = (name: string) =>
    new FileVault({ path: vaultFile, passphrase: async () => PASSPHRASE }).get(
      { pluginId: 'tokened', kind: 'destination', name },
      'token',
    );
  const destinationNames = async (home = world.home) =>
    (await world.ok(['destination', 'list', '--json'], { home })).json<{ name: string }[]>().map((d) => d.name);

  beforeAll(async () => {
    requireHermeticKeyring(); // the no-fallback checks look in the keychain
    world = await createPluginWorld({ seed: 41 });
    vaultFile = join(world.home, 'secrets.vault');
    await world.ok(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('stores the secret encrypted in $LIFEBOAT_HOME/secrets.vault, not in the keychain', async () => {
    const add = await addTokened('vt', VAULT);
    expect(add.code, add.describe()).toBe(0);
    expect(add.stderr).toContain(`encrypted vault at ${vaultFile}`);
    const vault = await readFile(vaultFile, 'utf8');
    expect(JSON.parse(vault)).toMatchObject({ format: 'lifeboat-vault' });
    expect((await stat(vaultFile)).mode & 0o777).toBe(0o600);
    expect(await inVault('vt')).toBe(TOKEN);
    expect(await secretHits([vaultFile], [TOKEN, PASSPHRASE])).toEqual([]);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/vt'))).accounts).toEqual([]);
  });

  it('hands the plugin the secret from the vault in a run: every photo lands byte-identical', async () => {
    await world.ok(['plan', 'add', 'p', '--source', 'photos', '--destination', 'vt']);
    const run = await world.cli(['run', 'p', '--json'], { env: VAULT });
    expect(run.code, run.describe()).toBe(0);
    expect(run.json<RunReport>()).toMatchObject({ ok: true, failures: [], filesCopied: world.manifest.length });
    expect(await treeDiff(world.path('vt'), world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  it('fails with a clear message on a wrong passphrase and leaves the vault byte-identical', async () => {
    const before = await readFile(vaultFile);
    const wrong = { ...VAULT, LIFEBOAT_VAULT_PASSPHRASE: WRONG_PASSPHRASE };
    const run = await world.cli(['run', 'p', '--json'], { env: wrong });
    expect(run.code, run.describe()).toBe(1);
    expect(run.stderr).toContain(`Wrong vault passphrase for the encrypted vault at ${vaultFile}`);
    expect(run.stderr).not.toContain('bad token'); // refused up front, not run with a missing secret
    // Adding a secret with the wrong passphrase must not re-encrypt (and so lose) what the vault holds.
    const add = await addTokened('vt2', wrong);
    expect(add.code, add.describe()).toBe(1);
    expect(add.stderr).toContain('Wrong vault passphrase');
    expect(await destinationNames()).toEqual(['vt']);
    expect(await readFile(vaultFile)).toEqual(before);
  }, 240_000);

  it('refuses to open the vault without a passphrase, and says where to give it', async () => {
    const before = await readFile(vaultFile);
    const run = await world.cli(['run', 'p'], { env: { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: '' } });
    expect(run.code, run.describe()).not.toBe(0);
    expect(run.stderr).toContain('LIFEBOAT_VAULT_PASSPHRASE');
    expect(await readFile(vaultFile)).toEqual(before);
  }, 240_000);

  it('uses the OS keychain without LIFEBOAT_SECRETS: no vault is created, an existing one is left alone', async () => {
    const fresh = world.path('home-keychain');
    await world.ok(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')], { home: fresh });
    const add = await addTokened('kc-fresh', DEFAULT, fresh);
    expect(add.code, add.describe()).toBe(0);
    expect(add.stderr).toContain('OS keychain');
    expect(existsSync(join(fresh, 'secrets.vault'))).toBe(false);
    expect((await keyringItems(keychainService(fresh, 'tokened/destination/kc-fresh'))).accounts).toEqual([
      '__keys__',
      'token',
    ]);

    const before = await readFile(vaultFile);
    const beside = await addTokened('kc-beside', DEFAULT);
    expect(beside.code, beside.describe()).toBe(0);
    expect((await keyringItems(keychainService(world.home, 'tokened/destination/kc-beside'))).accounts).toEqual([
      '__keys__',
      'token',
    ]);
    expect(await readFile(vaultFile)).toEqual(before);
  }, 240_000);

  it('fails, rather than falling back to the vault, when the keychain cannot be reached', async () => {
    const home = world.path('home-no-keyring');
    await world.ok(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')], { home });
    const noBus = { ...DEFAULT, DBUS_SESSION_BUS_ADDRESS: `unix:path=${world.path('no-such-bus')}` };
    const add = await addTokened('kc-down', noBus, home);
    expect(add.code, add.describe()).toBe(1);
    expect(add.stderr).toContain('OS keychain');
    expect(add.stderr).toContain('LIFEBOAT_SECRETS=vault'); // says how to choose the vault instead
    expect(existsSync(join(home, 'secrets.vault'))).toBe(false);
    expect(await destinationNames(home)).toEqual([]);
  }, 120_000);

  it('deletes the secret from the vault when its destination is removed', async () => {
    await world.ok(['plan', 'remove', 'p']);
    const removed = await world.cli(['destination', 'remove', 'vt'], { env: VAULT });
    expect(removed.code, removed.describe()).toBe(0);
    expect(await inVault('vt')).toBeUndefined();
  });

  it('never writes the secret or the passphrase to the state folders or any command output', async () => {
    const state = await filesUnder(
      world.root,
      (rel) => rel.includes('plugins/node_modules/') || rel.startsWith('photos/'),
    );
    expect(state).toEqual(expect.arrayContaining([vaultFile, join(world.home, 'config.json')]));
    const needles = [TOKEN, PASSPHRASE, WRONG_PASSPHRASE];
    expect(await secretHits(state, needles)).toEqual([]);
    expect(outputHits(world.transcripts, needles)).toEqual([]);
  });
});
