import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSha256, type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, renderApp, type Scene } from '../testing/harness.js';

/**
 * The source browser over the simulated iCloud (real HTTP, real sign-in): albums, favourites, a preview from
 * iCloud's own thumbnail drawn in half-blocks, and a download of three photos, byte for byte.
 */
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ assets: 30, seed: 18 });
});
afterAll(() => sim?.stop());

describe('picking photos from a source', () => {
  let scene: Scene;
  const saved = { ...process.env };
  beforeEach(async () => {
    scene = createScene();
    await scene.cli([
      'source',
      'add',
      'icloud',
      'ic',
      ...['--set', `appleId=${sim.account.appleId}`, '--set', `authUrl=${sim.authUrl}`],
      ...['--set', `setupUrl=${sim.setupUrl}`],
    ]);
    await scene.app.signIn.signIn('ic', {
      password: async () => sim.account.password,
      code: async () => ({ code: sim.account.code }),
      info() {},
    });
    process.env.LIFEBOAT_PREVIEW = 'blocks';
    delete process.env.NO_COLOR;
  });
  afterEach(() => {
    process.env = { ...saved };
    scene.dispose();
  });

  const moveTo = async (app: ReturnType<typeof renderApp>, line: RegExp) => {
    for (let i = 0; i < 12 && !line.test(app.frame()); i++) await app.press(KEY.down);
    expect(app.frame()).toMatch(line);
  };

  it('opens an album, previews a photo from its thumbnail, selects three and downloads them byte for byte', async () => {
    const app = renderApp(scene.app, { name: 'restore' });
    await app.waitFor('ic (source: pick photos straight from it)');
    await app.press(KEY.enter);
    await app.waitFor(/Pick · ic · all years(?! · listing)/, 30_000);
    await app.press('a');
    await app.waitFor(/albums[\s\S]*Family/);
    await moveTo(app, /> \[ \] Family/);
    await app.press(KEY.enter);
    const album = await app.waitFor(/albums › Family/);
    expect(album.split('\n').length).toBeLessThanOrEqual(24);
    // The preview beside the list: iCloud's thumbnail, drawn in half-blocks.
    await app.waitFor('▄', 15_000);
    await app.press(KEY.space, KEY.down, KEY.space, KEY.down, KEY.space);
    await app.waitFor('3 photos selected');
    await app.press('r');
    await app.waitFor('Download to:');
    const to = join(scene.root, 'picked');
    await app.press(KEY.ctrlU);
    await app.type(to);
    await app.press(KEY.enter);
    const done = await app.waitFor(/DOWNLOADED .* (\d+) \/ \1 files/, 30_000);
    app.unmount();
    const family = [...Array(sim.library.size).keys()]
      .map((i) => sim.library.state(i))
      .filter((s) => !s.isDeleted && sim.library.albumNamesOf(s.index).includes('Family'))
      .sort((a, b) => a.spec.assetDate - b.spec.assetDate)
      .slice(0, 3);
    const want = family.flatMap((s) =>
      sim.library
        .resources(s)
        .filter((r) =>
          ['resOriginalRes', 'resOriginalVidComplRes', 'resOriginalAltRes', 'resJPEGFullRes'].includes(r.field),
        )
        .map((r) => contentSha256(sim.library.content(s, r.field)!)),
    );
    const got: string[] = [];
    let sidecars = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.xmp')) sidecars++;
        else
          got.push(
            createHash('sha256')
              .update(readFileSync(join(dir, e.name)))
              .digest('hex'),
          );
      }
    };
    walk(to);
    expect(got.sort()).toEqual(want.sort());
    expect(sidecars).toBe(want.length); // each picked file comes with its XMP sidecar
    expect(done).toContain(`${want.length} / ${want.length} files`);
  }, 90_000);

  it("shows a video's poster frame (iCloud's thumbnail of it) as its preview", async () => {
    sim.counters.reset();
    const app = renderApp(scene.app, { name: 'pick', source: 'ic' });
    await app.waitFor(/Pick · ic · all years(?! · listing)/, 30_000);
    await app.press('/');
    await app.type('.MOV');
    await app.press(KEY.enter);
    const found = await app.waitFor(/> \[ \] IMG_\d+\.MOV .* video/);
    expect(found).not.toContain('.HEIC');
    expect((await app.waitFor('▄', 15_000)).split('\n').filter((l) => l.includes('▄')).length).toBeGreaterThan(3);
    app.unmount();
    // Only the small rendition came down to show it: no original, no Live video.
    const fields = Object.values(sim.counters.snapshot().bytes).flatMap((perField) => Object.keys(perField));
    expect(fields.length).toBeGreaterThan(0);
    expect(new Set(fields)).toEqual(new Set(['resJPEGThumbRes']));
  }, 60_000);

  it('shows favourites alone with [f], and no preview at all with NO_COLOR', async () => {
    process.env.NO_COLOR = '1';
    const app = renderApp(scene.app, { name: 'pick', source: 'ic' });
    await app.waitFor(/Pick · ic · all years(?! · listing)/, 30_000);
    await app.press('f');
    const favourites = await app.waitFor('favourites');
    const count = [...Array(sim.library.size).keys()].filter((i) => {
      const s = sim.library.state(i);
      return s.isFavorite && !s.isDeleted;
    }).length;
    expect(count).toBeGreaterThan(0);
    expect(favourites.match(/★/g)?.length).toBe(count);
    expect(favourites).not.toContain('▄');
    expect(favourites).not.toContain('preview');
    app.unmount();
  }, 60_000);
});
