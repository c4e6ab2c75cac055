import { existsSync } from 'node:fs';
import { readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPhotos } from '../fixtures/photo-folder.js';
import { type CliResult, hashTree, lifeboat } from './cli.js';
import { type BackupWorld, createBackupWorld } from './world.js';

/** A user error: non-zero exit and a message, not a crash dump. */
function expectCleanFailure(result: CliResult, ...mentions: Array<string | RegExp>) {
  expect(result.code, result.describe()).not.toBe(0);
  expect(result.code, result.describe()).not.toBeNull();
  expect(result.stderr.trim(), result.describe()).not.toBe('');
  expect(result.stderr, `a stack trace instead of a message:\n${result.describe()}`).not.toMatch(
    /^\s+at .+:\d+:\d+\)?$/m,
  );
  for (const mention of mentions) expect(result.stderr, result.describe()).toMatch(mention);
}

describe('bad input and missing drives', () => {
  let world: BackupWorld;
  const baseline = new Map<string, Map<string, string>>();

  /** The backed-up files are byte-identical to the snapshot; `exact`: and nothing was added. */
  async function expectBackupsIntact(exact = true) {
    for (const drive of world.drives) {
      const now = await hashTree(drive.path);
      const before = baseline.get(drive.name)!;
      for (const [rel, sha] of before) expect(now.get(rel), `${drive.name}/${rel}`).toBe(sha);
      if (exact) expect(now.size, drive.name).toBe(before.size);
    }
  }

  const destinationNames = async () => {
    const list = (await world.cli(['destination', 'list', '--json'])).json<unknown>();
    const items = (Array.isArray(list) ? list : (list as { destinations?: unknown[] }).destinations) ?? [];
    return (items as Array<{ name: string }>).map((item) => item.name);
  };

  beforeAll(async () => {
    world = await createBackupWorld({ count: 100, seed: 5 });
    await world.runOk();
    for (const drive of world.drives) baseline.set(drive.name, await hashTree(drive.path));
  }, 180_000);
  afterAll(() => world?.cleanup());

  // Each case builds its path inside the scene: /proc refuses mkdir, a regular file cannot hold a folder, and a
  // symlink to an unmounted volume dangles.
  const unwritable: Array<[string, (root: string) => Promise<string>]> = [
    ['under /proc', async () => '/proc/lifeboat-test'],
    [
      'under a regular file',
      async (root) => {
        await writeFile(join(root, 'a-file.txt'), 'not a folder');
        return join(root, 'a-file.txt', 'Lifeboat');
      },
    ],
    [
      'through a dangling symlink',
      async (root) => {
        await symlink(join(root, 'unmounted-volume'), join(root, 'T7'));
        return join(root, 'T7', 'Lifeboat');
      },
    ],
  ];

  it.each(unwritable)(
    'an unwritable destination path (%s) is refused with a clear error, not registered',
    async (_, make) => {
      const path = await make(world.root);
      expectCleanFailure(await world.cli(['destination', 'add', 'disk', 'x', '--set', `path=${path}`]), path);
      expect(await destinationNames()).not.toContain('x');
      await expectBackupsIntact();
    },
  );

  // Paths that cannot be created: a pseudo-filesystem (where Node's recursive mkdir spins forever) and a file.
  const uncreatable: Array<[string, (root: string) => Promise<string>]> = [
    ['under /proc', async () => '/proc/lifeboat-e2e'],
    [
      'under a regular file',
      async (root) => {
        await writeFile(join(root, 'plain-file'), 'not a folder');
        return join(root, 'plain-file', 'inside');
      },
    ],
  ];

  it.each(uncreatable)(
    'restore into a folder that cannot be created (%s) fails with one clear error',
    async (_, make) => {
      const to = await make(world.root);
      const result = await world.cli(['restore', '--from', world.drives[0]!.path, '--to', to], { timeoutMs: 10_000 });
      expectCleanFailure(result, to);
      await expectBackupsIntact();
    },
  );

  it.each(uncreatable)('a LIFEBOAT_HOME that cannot be created (%s) fails with a clear error', async (_, make) => {
    const home = await make(world.root);
    const result = await lifeboat(['source', 'list'], { home, timeoutMs: 10_000 });
    expectCleanFailure(result, home);
  });

  it('a corrupt config file makes every command fail naming the file, and is left as it was', async () => {
    const config = join(world.home, 'config.json');
    expect(existsSync(config), `expected the configuration at ${config}`).toBe(true);
    const original = await readFile(config);
    const garbage = Buffer.from('{"sources": [ this is not json \u0000\u00ff');
    await writeFile(config, garbage);
    const commands = [
      ['source', 'list'],
      ['status'],
      ['run', 'main'],
      ['plan', 'show', 'main'],
      ['destination', 'add', 'disk', 'z', '--set', `path=${join(world.root, 'z')}`],
    ];
    for (const args of commands) {
      expectCleanFailure(await world.cli(args), 'config.json');
      expect((await readFile(config)).equals(garbage), `config rewritten by: lifeboat ${args.join(' ')}`).toBe(true);
    }
    await writeFile(config, original);
    await expectBackupsIntact();
  });

  it('an unknown plugin type is refused with the list of known types', async () => {
    expectCleanFailure(await world.cli(['source', 'add', 'nope', 'x', '--set', 'path=/tmp']), /nope/, /folder/);
    expectCleanFailure(await world.cli(['destination', 'add', 'nope', 'y', '--set', 'path=/tmp/y']), /nope/, /disk/);
    await expectBackupsIntact();
  });

  it('a bad --set value is refused naming the field, and nothing is registered or created', async () => {
    const path = join(world.root, 'y');
    const bad = await world.cli(['destination', 'add', 'disk', 'y', '--set', `path=${path}`, '--set', 'offsite=maybe']);
    expectCleanFailure(bad, /offsite/);
    expectCleanFailure(await world.cli(['destination', 'add', 'disk', 'z', '--set', 'nonsense']), /nonsense|=/);
    const names = await destinationNames();
    expect(names).not.toContain('y');
    expect(names).not.toContain('z');
    expect(existsSync(path), `${path} created for a refused destination`).toBe(false);
    await expectBackupsIntact();
  });

  it('a drive whose marker is gone is treated as not mounted: nothing written there', async () => {
    const driveA = world.drives[0]!;
    const stash = join(world.root, 'stashed-marker');
    await rename(join(driveA.path, '.lifeboat'), stash);
    await addPhotos(world.source, 5, 501); // work the run must not put on the missing drive
    const result = await world.cli(['run', 'main']);
    expectCleanFailure(result, /drive-a/, /LIFEBOAT_DEST_UNAVAILABLE|not mounted/i);
    expect(existsSync(join(driveA.path, '.lifeboat')), 'marker recreated on an unmounted drive').toBe(false);
    await expectBackupsIntact(false); // drive-b may take the 5 new files
    expect((await hashTree(driveA.path)).size, 'files written to an unmounted drive').toBe(
      baseline.get('drive-a')!.size,
    );
    await rename(stash, join(driveA.path, '.lifeboat'));
  });

  it('a drive folder that vanished is not recreated, and the run fails naming it', async () => {
    const driveA = world.drives[0]!;
    const away = join(world.root, 'drive-a-unplugged');
    await rename(driveA.path, away);
    const result = await world.cli(['run', 'main']);
    expectCleanFailure(result, /drive-a/, /LIFEBOAT_DEST_UNAVAILABLE|not mounted/i);
    expect(existsSync(driveA.path), `${driveA.path} recreated while unplugged`).toBe(false);
    await rename(away, driveA.path);
    await expectBackupsIntact(false);
  });

  it('after all that, a normal run succeeds and catches the drive up', async () => {
    const result = await world.cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).toBe(0);
    await expectBackupsIntact(false);
    const [a, b] = await Promise.all(world.drives.map((d) => hashTree(d.path)));
    expect(a!.size).toBe(105);
    expect(b!.size).toBe(105);
  });
});
