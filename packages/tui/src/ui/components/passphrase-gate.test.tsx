/**
 * The vault passphrase asked inside the terminal UI (issue 15), with no LIFEBOAT_VAULT_PASSPHRASE: a screen of its
 * own, masked, a wrong one asked again, the screen underneath untouched by what is typed (a "q" in the passphrase
 * does not quit) and working again afterwards. The secret store is the one the container builds, over the same
 * broker the UI attaches to, as a sign-in or the home screen's sign-in check would reach it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretStoreFor } from '../../container.js';
import { createScene, KEY, renderApp, type Scene, sleep } from '../testing/harness.js';

const SCOPE = { pluginId: 'test', kind: 'source' as const, name: 'phone' };

describe('the vault passphrase screen', () => {
  let scene: Scene;
  afterEach(() => scene.dispose());

  const store = (passphrase?: string) =>
    secretStoreFor(
      {
        LIFEBOAT_HOME: scene.home,
        LIFEBOAT_SECRETS: 'vault',
        ...(passphrase ? { LIFEBOAT_VAULT_PASSPHRASE: passphrase } : {}),
      },
      scene.app.passphrase,
    );

  it('asks for the passphrase of an existing vault, masked, again after a wrong one, then gives the keys back', async () => {
    scene = createScene({ passphrase: false });
    await store('quiet horse').set(SCOPE, 'session', 'token-1');
    await scene.cli(['destination', 'add', 'disk', 'drive', '--set', `path=${join(scene.root, 'drive')}`]);
    const app = renderApp(scene.app, { name: 'dashboard' });
    await app.waitFor('DESTINATIONS');
    const read = store().get(SCOPE, 'session');
    await app.waitFor('Vault passphrase:');
    expect(app.frame()).not.toContain('DESTINATIONS');
    // A burst, as typed fast: every character counts, none reaches the home screen (its [q] would quit).
    await app.burst('quiet', KEY.backspace, 't');
    expect(app.frame()).toContain('Vault passphrase: •••••▏');
    await app.press(KEY.enter);
    await app.waitFor('Wrong passphrase');
    expect(app.frame()).toContain('Vault passphrase: ▏');
    await app.burst('quiet horse');
    await app.press(KEY.enter);
    expect(await read).toBe('token-1');
    const home = await app.waitFor('DESTINATIONS');
    expect(home).not.toContain('quiet');
    expect(home).not.toContain('•');
    // The home screen has its keys again: [a] opens the wizard.
    await app.press('a');
    await app.waitFor('step 1 of 3');
    app.unmount();
  });

  it('asks twice for a new vault, and esc gives up with an error that says what to do', async () => {
    scene = createScene({ passphrase: false });
    const app = renderApp(scene.app, { name: 'dashboard' });
    await app.waitFor('Lifeboat');
    const cancelled = expect(store().set(SCOPE, 'session', 'x')).rejects.toThrow(/No vault passphrase given/);
    await app.waitFor('New passphrase:');
    await app.press(KEY.esc);
    await cancelled;
    await app.waitFor('press [a]');
    const write = store().set(SCOPE, 'session', 'token-2');
    await app.waitFor('New passphrase:');
    await app.burst('one', KEY.enter, 'two', KEY.enter);
    await app.waitFor('The two passphrases differ');
    await app.burst('same', KEY.enter);
    await app.waitFor('Same again:');
    await app.burst('same', KEY.enter);
    await write;
    await sleep(20);
    expect(await store('same').get(SCOPE, 'session')).toBe('token-2');
    app.unmount();
  });
});
