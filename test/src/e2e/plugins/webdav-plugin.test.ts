import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RcloneWebdav, startRcloneWebdav } from '../../servers/rclone-webdav.js';
import {
  createPluginWorld,
  outputHits,
  type PluginWorld,
  type RunReport,
  requireHermeticKeyring,
  treeDiff,
  webdavPluginDir,
} from './plugin-world.js';

// The WebDAV example installed from its folder, backing up to a real WebDAV server that requires a password
// (rclone serve webdav behind basic auth), the password kept in the keychain.
const USER = 'lifeboat';
const PASSWORD = 'e2e-webdav-Pa55word';

describe('the WebDAV example plugin (examples/lifeboat-plugin-webdav), installed from its folder', () => {
  let world: PluginWorld;
  let server: RcloneWebdav;
  const addNas = (name: string, password: string) =>
    world.cli(
      [
        'destination',
        'add',
        'webdav',
        name,
        '--set',
        `url=${server.endpoint}${name}`,
        '--set',
        `username=${USER}`,
        '--secret',
        'password',
      ],
      { input: `${password}\n` },
    );

  beforeAll(async () => {
    requireHermeticKeyring();
    server = await startRcloneWebdav({ user: USER, password: PASSWORD });
    world = await createPluginWorld({ seed: 41 });
    await world.ok(['plugins', 'add', webdavPluginDir]);
    await world.ok(['source', 'add', 'folder', 'photos', '--set', `path=${world.photos}`]);
  }, 180_000);
  afterAll(async () => {
    await world?.cleanup();
    await server?.stop();
  });

  it('is listed with its webdav destination', async () => {
    expect((await world.plugins()).find((p) => p.id === 'webdav')).toMatchObject({
      packageName: 'lifeboat-plugin-webdav',
      builtin: false,
      destinations: ['webdav'],
    });
  });

  it('refuses a destination whose password the server rejects, saying so', async () => {
    const refused = await addNas('wrong', 'not-the-password');
    expect(refused.code, refused.describe()).not.toBe(0);
    expect(refused.stderr).toContain('401');
    expect(refused.stderr).toContain('--secret password');
  });

  it('backs up a folder to the WebDAV server: every photo lands as a plain file, byte-identical', async () => {
    const added = await addNas('nas', PASSWORD);
    expect(added.code, added.describe()).toBe(0);
    await world.ok(['plan', 'add', 'main', '--source', 'photos', '--destination', 'nas']);
    const run = await world.cli(['run', 'main', '--json']);
    expect(run.code, run.describe()).toBe(0);
    expect(run.json<RunReport>()).toMatchObject({ ok: true, failures: [], filesCopied: world.manifest.length });
    // No temp upload left behind either: treeDiff counts every file outside .lifeboat/.
    expect(await treeDiff(join(server.dir, 'nas'), world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  it('restores byte-identical files from the WebDAV server', async () => {
    const restored = world.path('restored');
    const result = await world.cli(['restore', '--from', 'nas', '--to', restored, '--json']);
    expect(result.code, result.describe()).toBe(0);
    expect(result.json()).toMatchObject({ ok: true, filesRestored: world.manifest.length, failures: [] });
    expect(await treeDiff(restored, world.manifest)).toEqual({ missing: [], extra: [] });
  }, 240_000);

  it('never prints the password', () => {
    expect(outputHits(world.transcripts, [PASSWORD])).toEqual([]);
  });
});
