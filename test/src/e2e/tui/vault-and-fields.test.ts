/**
 * Issue 15 in a real terminal (tmux, 80x24), the built `lifeboat` with no arguments: with LIFEBOAT_SECRETS=vault
 * and no passphrase in the environment, the home screen asks for the vault passphrase in a screen of its own
 * (masked, asked again when wrong) instead of freezing or echoing keys; afterwards the keys work (q quits).
 * And a text field takes keys sent in one burst (five backspaces, then Down Down) one by one.
 */
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cliPath, lifeboatOk, makeTempDir, removeDir } from '../cli.js';
import { addIcloudSource } from '../icloud/icloud-world.js';
import { assertTmux, startTerminal, type Terminal } from './tmux.js';

const PASSPHRASE = 'quiet-harbour-7';

describe('the terminal UI with the encrypted vault and no passphrase in the environment', () => {
  let sim: Simulator;
  let root: string;
  let term: Terminal;

  beforeAll(async () => {
    assertCliBuilt();
    assertTmux();
    sim = await startSimulator({ assets: 2, sharedAssets: 0 });
    root = await makeTempDir('lifeboat-tui-vault-');
    const home = join(root, 'home');
    // Set up by the CLI with the passphrase in its environment (as a script would); the UI then runs without it.
    const env = { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: PASSPHRASE };
    await addIcloudSource(sim, 'phone', { home, env });
    await lifeboatOk(['login', 'phone', '--password-stdin', '--code', sim.account.code], {
      home,
      env,
      input: `${sim.account.password}\n`,
    });
    await lifeboatOk(['destination', 'add', 'disk', 'drive', '--set', `path=${join(root, 'drive')}`], { home, env });
    await lifeboatOk(['plan', 'add', 'photos', '--source', 'phone', '--destination', 'drive'], { home, env });
    term = await startTerminal({
      command: [process.execPath, cliPath],
      env: {
        PATH: `${join(process.execPath, '..')}:/usr/bin:/bin`,
        HOME: root,
        LIFEBOAT_HOME: home,
        LIFEBOAT_SECRETS: 'vault',
        NO_COLOR: '1',
        TERM: 'xterm-256color',
      },
      columns: 80,
      rows: 24,
      artefacts: root,
    });
  }, 60_000);

  afterAll(async () => {
    await term?.kill();
    await sim?.stop();
    if (root) await removeDir(root);
  });

  it('asks for the passphrase in its own screen, retries a wrong one, and leaves every key working', async () => {
    // The home screen reads the iCloud sign-in, which is in the vault: the UI asks, over the home screen.
    const asked = await term.waitFor('Vault passphrase:');
    expect(asked).toContain('[enter] unlock');
    expect(asked).not.toContain('Talking to the server');
    await term.type('wrong-one');
    expect(await term.waitFor('•••••••••▏')).not.toContain('wrong-one');
    await term.keys('Enter');
    await term.waitFor('Wrong passphrase');
    await term.type(PASSPHRASE);
    await term.keys('Enter');
    // Unlocked: the home screen reads the sign-in from the vault.
    const home = await term.waitFor('signed in today');
    expect(home).toContain('photos');
    expect(home).not.toContain(PASSPHRASE);

    // A field takes a burst of keys one by one: five backspaces in one write delete five characters.
    await term.keys('s');
    await term.waitFor('daily@02:00▏');
    await term.burst('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    await term.waitFor(/Schedule\s+daily@▏/);
    await term.type('03:30');
    await term.waitFor('daily@03:30▏');
    await term.burst('Down', 'Down');
    await term.waitFor('> [ Save and install in the OS scheduler ]');
    await term.keys('Escape');
    await term.waitFor('signed in today');

    // q quits cleanly: the keys were never echoed as text.
    await term.keys('q');
    const after = await term.waitFor('[exited 0]');
    expect(after).not.toMatch(/\^\[\[|quitr|Vault passphrase/);
  });

  it('asks to choose a passphrase in the middle of a first sign-in, then finishes the sign-in', async () => {
    const home = join(root, 'fresh-home');
    const fresh = await startTerminal({
      command: [process.execPath, cliPath],
      env: {
        PATH: `${join(process.execPath, '..')}:/usr/bin:/bin`,
        HOME: root,
        LIFEBOAT_HOME: home,
        LIFEBOAT_SECRETS: 'vault',
        NO_COLOR: '1',
        TERM: 'xterm-256color',
      },
      columns: 80,
      rows: 24,
      artefacts: root,
    });
    try {
      const focus = async (label: string) => {
        for (let i = 0; i < 20; i++) {
          const screen = await fresh.screen();
          if (screen.split('\n').some((l) => l.trimStart().startsWith(`> ${label}`))) return;
          await fresh.keys('Down');
          for (let t = 0; t < 20 && (await fresh.screen()) === screen; t++) await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`no row "${label}":\n${await fresh.screen()}`);
      };
      await fresh.waitFor('> iCloud Photos');
      await fresh.keys('Enter');
      await fresh.waitFor('Apple ID *');
      await focus('Apple ID');
      await fresh.type(sim.account.appleId);
      await focus('Auth URL');
      await fresh.type(sim.authUrl);
      await focus('Setup URL');
      await fresh.type(sim.setupUrl);
      await focus('[ Save ]');
      await fresh.keys('Enter');
      await fresh.waitFor('Apple Account password for');
      await fresh.type(sim.account.password);
      await fresh.keys('Enter');
      await fresh.waitFor('Code:');
      await fresh.type(sim.account.code);
      await fresh.keys('Enter');
      // The session goes to a vault that does not exist yet: its passphrase is chosen here, typed twice.
      const choose = await fresh.waitFor('New passphrase:');
      expect(choose).toContain('cannot be recovered');
      await fresh.type('first-choice');
      await fresh.keys('Enter');
      await fresh.waitFor('Same again:');
      await fresh.type('first-choice');
      await fresh.keys('Enter');
      const signedIn = await fresh.waitFor('SIGNED IN');
      expect(signedIn).not.toContain('first-choice');
      await fresh.keys('C-c');
      await fresh.waitFor('[exited 0]');
    } finally {
      await fresh.kill();
    }
    // The vault was made with that passphrase: the CLI opens it with it.
    const status = await lifeboatOk(['status'], {
      home,
      env: { LIFEBOAT_SECRETS: 'vault', LIFEBOAT_VAULT_PASSPHRASE: 'first-choice' },
    });
    expect(status.stdout).toMatch(/Source \S+: sign-in ok/);
  });
});
