/**
 * Issue 18 in a real terminal (tmux, 80x24, no image protocol): the built `lifeboat` with only an iCloud source
 * configured (no destination, no plan). Browse the source, open the album "Family", see the photo under the cursor
 * drawn beside the list in coloured half-blocks from iCloud's own thumbnail, select three photos, download them;
 * each file's sha256 equals what the simulated iCloud serves. The screens are saved under test/artifacts/pick-tui/.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirsSync } from '@lifeboat/core';
import { contentSha256 } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, KEYCHAIN_NAMESPACE, repoRoot, walkFiles } from '../cli.js';
import { createPickWorld, listed, type PickWorld } from '../pick/pick-world.js';
import { assertTmux, startTerminal, type Terminal } from './tmux.js';

const ARTEFACTS = join(repoRoot, 'test', 'artifacts', 'pick-tui');
const COMPANIONS = ['resOriginalRes', 'resOriginalVidComplRes', 'resOriginalAltRes', 'resJPEGFullRes'];

describe('picking photos from iCloud in a real terminal', () => {
  let world: PickWorld;
  let term: Terminal;

  beforeAll(async () => {
    assertTmux();
    rmSync(ARTEFACTS, { recursive: true, force: true });
    makeDirsSync(ARTEFACTS);
    world = await createPickWorld({ assets: 30, seed: 18, sharedAssets: 0 });
    term = await startTerminal({
      command: [process.execPath, cliPath],
      env: {
        PATH: `${join(process.execPath, '..')}:/usr/bin:/bin`,
        HOME: world.root,
        LIFEBOAT_HOME: world.home,
        TERM: 'xterm-256color',
        COLORTERM: 'truecolor',
        // CI machines set CI (the pane inherits it), and then colour libraries (chalk, supports-color) turn colour
        // off and the preview falls back to monochrome braille dots. This terminal has colour: say so.
        FORCE_COLOR: '3',
        ...world.env,
        LIFEBOAT_KEYCHAIN_NAMESPACE: KEYCHAIN_NAMESPACE, // as the CLI runs of this file have it
        ...passThrough(['DBUS_SESSION_BUS_ADDRESS', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']),
      },
      columns: 80,
      rows: 24,
      artefacts: ARTEFACTS,
    });
  }, 60_000);

  afterAll(async () => {
    await term?.kill();
    await world?.cleanup();
  });

  async function focus(pattern: RegExp): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const before = await term.screen();
      if (before.split('\n').some((l) => pattern.test(l))) return;
      await term.keys('Down');
      for (let t = 0; t < 20 && (await term.screen()) === before; t++) await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no row ${pattern} to focus:\n${await term.screen()}`);
  }

  it('browses the source, opens an album, previews, selects three photos and downloads them', async () => {
    const { sim, source } = world;
    await term.waitFor('[b]');
    await term.keys('b');
    await term.waitFor(`${source} (source: pick photos straight from it)`);
    await focus(new RegExp(`^\\s*> ${source} \\(source`));
    await term.keys('Enter');
    await term.waitFor(new RegExp(`Pick · ${source} · all years\\s*\\n`), 30_000);
    await term.keys('a');
    await term.waitFor('Family');
    await focus(/> \[ \] Family/);
    await term.keys('Enter');
    await term.waitFor('albums › Family');
    // The photo under the cursor, drawn beside the list from iCloud's thumbnail: coloured half-blocks.
    const preview = await term.waitFor('▄', 20_000);
    await term.save('album-with-preview');
    expect(preview.split('\n').filter((l) => l.includes('▄')).length).toBeGreaterThan(4);
    const coloured = await term.screen(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape code of a colour is what is checked
    expect(coloured).toMatch(/\u001b\[(38|48);(2|5);[\d;]+m▄/);
    for (const n of [1, 2, 3]) {
      if (n > 1) await term.keys('Down');
      await term.keys('Space');
      await term.waitFor(`${n} photo${n > 1 ? 's' : ''} selected`);
    }
    await term.keys('r');
    await term.waitFor('Download to:');
    const to = join(world.root, 'picked');
    await term.keys('C-u');
    await term.type(to);
    await term.keys('Enter');
    await term.waitFor(/DOWNLOADED .* (\d+) \/ \1 files/, 60_000);
    await term.save('downloaded');

    const family = listed(sim.library)
      .filter((s) => sim.library.albumNamesOf(s.index).includes('Family'))
      .sort((a, b) => a.spec.assetDate - b.spec.assetDate)
      .slice(0, 3);
    const want = family.flatMap((s) =>
      sim.library
        .resources(s)
        .filter((r) => COMPANIONS.includes(r.field))
        .map((r) => contentSha256(sim.library.content(s, r.field)!)),
    );
    const got = (await walkFiles(to)).map((f) =>
      createHash('sha256')
        .update(readFileSync(join(to, f)))
        .digest('hex'),
    );
    expect(got.sort()).toEqual(want.sort());
  }, 120_000);
});

function passThrough(names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (process.env[n] ? [[n, process.env[n]!]] : [])));
}
