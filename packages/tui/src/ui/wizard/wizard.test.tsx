import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

type App = ReturnType<typeof renderApp>;

/** Moves down until the focused row (`> `) starts with `label`. */
async function focus(app: App, label: string) {
  for (let i = 0; i < 30; i++) {
    if (
      app
        .frame()
        .split('\n')
        .some((l) => l.trimStart().startsWith(`> ${label}`))
    )
      return;
    await app.press(KEY.down);
  }
  throw new Error(`no row "${label}":\n${app.frame()}`);
}

describe('the first-run wizard', () => {
  let scene: Scene;
  let s3: Awaited<ReturnType<typeof startFauxqs>>;
  let endpoint: string;
  beforeAll(async () => {
    s3 = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    endpoint = `http://127.0.0.1:${s3.port}`;
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'ui-bucket' }));
    client.destroy();
  });
  afterAll(() => s3?.stop());
  beforeEach(() => {
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), [{ name: 'IMG_0001.JPG', date: '2021-03-01T10:00:00Z' }]);
  });
  afterEach(() => scene.dispose());

  it('opens by itself on first run and adds a folder source, a drive (with free space) and a plan', async () => {
    const app = renderApp(scene.app);
    await app.waitFor('> iCloud Photos');
    expect(app.frame()).toContain('step 1 of 3');
    await app.press(KEY.down, KEY.enter);
    await app.waitFor('Path *');
    await focus(app, 'Path');
    await app.type(join(scene.root, 'photos'));
    await focus(app, '[ Save ]');
    await app.press(KEY.enter);
    await app.waitFor('step 2 of 3');
    expect(await app.waitFor('Copies so far: none.')).toContain('Source "photos" added.');

    await app.waitFor('> Add a drive or folder');
    await app.press(KEY.enter);
    await app.waitFor('Path *');
    await focus(app, 'Path');
    await app.type(join(scene.root, 'drive'));
    const form = await app.waitFor('Free space there');
    expect(form.includes('same disk as the system')).toBe(statSync(scene.root).dev === statSync('/').dev);
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    await app.waitFor('Destination "drive" ready');
    const added = await app.waitFor('2 copies');
    expect(added).toMatch(/2 copies .* 1 kinds of media .* 0 offsite\s+NOT MET/);
    const words = added.replace(/\s+/g, ' ');
    expect(words).toContain('Add one more destination');
    expect(words).toContain('Add an offsite destination');

    await focus(app, 'Continue: make a plan');
    await app.press(KEY.enter);
    await app.waitFor('step 3 of 3');
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await app.type('home');
    await focus(app, '[ Dry run');
    await app.press(KEY.enter);
    const dry = await app.waitFor('enough space');
    expect(dry).toContain('Dry run: 1 asset; the first run reads 1 file (1.0 KB).');
    expect(dry).toMatch(/drive\s+1 files, 1\.0 KB\s+.* free, enough space/);
    expect(dry).toMatch(/Layout \{yyyy\}\/\{mm\}\/\{name\}, e\.g\.:\s+2021\/0[23]\/IMG_0001\.JPG/);
    await focus(app, '[ Save the plan ]');
    await app.press(KEY.enter);
    await app.waitFor(/home\s+never\s+not scheduled\s+NOT RUN YET/);
    expect(scene.app.config().plans).toEqual({ home: { sources: ['photos'], destinations: ['drive'] } });
    app.unmount();
  });

  it('adds S3 from its schema: secrets masked and kept out of the config, the connection tested first', async () => {
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    const app = renderApp(scene.app, { name: 'wizard', step: 'destinations' });
    await app.waitFor('> Add a drive or folder');
    await app.press(KEY.down, KEY.enter);
    await app.waitFor('Bucket *');
    await focus(app, 'Bucket');
    await app.type('no-such-bucket');
    await focus(app, 'Endpoint');
    await app.type(endpoint);
    await focus(app, 'Force path style');
    await app.press(KEY.space);
    await focus(app, 'Access key ID');
    await app.type('AKIA-UI-TEST');
    await focus(app, 'Secret access key');
    await app.type('very-secret-value');
    const masked = app.frame();
    expect(masked).toContain('•'.repeat('very-secret-value'.length));
    expect(masked).not.toContain('very-secret-value');

    // A bucket that does not exist: the connection test says so and nothing is saved.
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    const failed = await app.waitFor('Problem:');
    expect(failed).toMatch(/no-such-bucket/);
    expect(scene.app.config().destinations).toEqual({});

    // Fix the bucket name and save.
    for (let i = 0; i < 20; i++) await app.press(KEY.up);
    await focus(app, 'Bucket');
    await app.press('\u0015');
    await app.type('ui-bucket');
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    await app.waitFor('Destination "offsite" ready');
    expect(await app.waitFor(/1 offsite/)).toMatch(/2 copies .* 1 kinds of media .* 1 offsite/);
    const config = readFileSync(join(scene.home, 'config.json'), 'utf8');
    expect(JSON.parse(config).destinations.offsite).toMatchObject({
      type: 's3',
      settings: { bucket: 'ui-bucket', endpoint, forcePathStyle: true },
      secrets: ['accessKeyId', 'secretAccessKey'],
    });
    expect(config).not.toContain('very-secret-value');
    app.unmount();
  });

  it("offers a source's include choices from its schema and saves them with the plan", async () => {
    // An iCloud source needs no network to be added (sign-in comes later); its include flags come from its manifest.
    await scene.cli([
      ...['source', 'add', 'icloud', 'phone', '--set', 'appleId=jane@example.com'],
      ...['--set', 'include=liveVideos,raw,edited,hidden'],
    ]);
    await scene.cli(['destination', 'add', 'disk', 'drive', '--set', `path=${join(scene.root, 'drive')}`]);
    const app = renderApp(scene.app, { name: 'wizard', step: 'plan' });
    await app.waitFor('step 3 of 3');
    const row = await app.waitFor('include');
    expect(row).toContain('1[x] Live videos  2[x] Raw  3[x] Edited  4[x] Hidden  5[ ] Recently deleted');
    await focus(app, '  include');
    await app.press('5', '2');
    await app.waitFor('2[ ] Raw  3[x] Edited  4[x] Hidden  5[x] Recently deleted');
    await focus(app, '[ Save the plan ]');
    await app.press(KEY.enter);
    await app.waitFor('PLANS');
    expect(scene.app.config().sources.phone?.settings.include).toEqual({
      liveVideos: true,
      raw: false,
      edited: true,
      hidden: true,
      recentlyDeleted: true,
    });
    app.unmount();
  });
});
