import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScene, KEY, photoFolder, renderApp, type Scene } from '../testing/harness.js';

type App = ReturnType<typeof renderApp>;

/** Moves down until the focused row (`> `) starts with `label`. */
async function focus(app: App, label: string) {
  for (let i = 0; i < 40; i++) {
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

// Issue 20: an encrypted destination is saved from the form only once the user confirms the password is kept
// elsewhere (a lost password is a lost backup); then the 3-2-1 meter says the copy is encrypted.
describe('the destination form with encryption', () => {
  let scene: Scene;
  let s3: Awaited<ReturnType<typeof startFauxqs>>;
  let endpoint: string;
  const PASSWORD = 'kept-on-paper-in-the-safe';
  beforeAll(async () => {
    s3 = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    endpoint = `http://127.0.0.1:${s3.port}`;
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'crypt-bucket' }));
    client.destroy();
    scene = createScene();
    photoFolder(join(scene.root, 'photos'), [{ name: 'IMG_0001.JPG', date: '2021-03-01T10:00:00Z' }]);
  });
  afterAll(async () => {
    scene?.dispose();
    await s3?.stop();
  });

  it('asks for the password, refuses to save until it is confirmed kept elsewhere, then marks the copy encrypted', async () => {
    await scene.cli(['source', 'add', 'folder', 'photos', '--set', `path=${join(scene.root, 'photos')}`]);
    const app = renderApp(scene.app, { name: 'wizard', step: 'destinations' });
    await app.waitFor('> Add a drive or folder');
    await app.press(KEY.down, KEY.enter);
    await app.waitFor('Bucket *');
    await focus(app, 'Bucket');
    await app.type('crypt-bucket');
    await focus(app, 'Endpoint');
    await app.type(endpoint);
    await focus(app, 'Force path style');
    await app.press(KEY.space);
    expect(app.frame()).not.toContain('Encryption password');
    await focus(app, 'Encryption');
    for (let i = 0; i < 3 && !app.frame().includes('rclone-crypt'); i++) await app.press(KEY.space);
    await focus(app, 'Access key ID');
    await app.type('AKIA-UI-TEST');
    await focus(app, 'Secret access key');
    await app.type('s3-secret');
    await focus(app, 'Encryption password');
    await app.type(PASSWORD);
    expect(app.frame()).not.toContain(PASSWORD);

    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    const refused = await app.waitFor('Problem:');
    expect(refused.replace(/\s+/g, ' ')).toContain('Confirm the encryption password is kept somewhere other than');
    expect(scene.app.config().destinations).toEqual({});

    for (let i = 0; i < 40; i++) await app.press(KEY.up);
    await focus(app, 'Password kept elsewhere');
    await app.press(KEY.space);
    await focus(app, '[ Test and save ]');
    await app.press(KEY.enter);
    await app.waitFor('Destination "offsite" ready');
    expect(await app.waitFor('encrypted copies')).toContain('encrypted copies: offsite (rclone crypt)');
    const config = readFileSync(join(scene.home, 'config.json'), 'utf8');
    expect(JSON.parse(config).destinations.offsite).toMatchObject({
      settings: { bucket: 'crypt-bucket', encryption: 'rclone-crypt' },
      secrets: ['accessKeyId', 'secretAccessKey', 'encryptionPassword'],
    });
    expect(config).not.toContain(PASSWORD);
    expect(config).not.toContain('passwordKeptElsewhere');
    app.unmount();
  });
});
