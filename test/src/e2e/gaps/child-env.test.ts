import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePlugin } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 10: LIFEBOAT_VAULT_PASSPHRASE (and any secret in Lifeboat's environment) was inherited by
// notify commands and by npm when installing plugins.
const PASSPHRASE = 'vault-passphrase-9c1e77';
const OTHER_SECRET = 'aws-secret-4b2f01';
const secretEnv = {
  LIFEBOAT_SECRETS: 'vault',
  LIFEBOAT_VAULT_PASSPHRASE: PASSPHRASE,
  AWS_SECRET_ACCESS_KEY: OTHER_SECRET,
};

describe('secrets are not passed to child processes', () => {
  let world: BackupWorld;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 2, seed: 1610 }, ['drive-a']);
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('a notify command gets the event and what programs need, not the passphrase or other secrets', async () => {
    const dump = join(world.root, 'hook-env.json');
    const script = join(world.root, 'hook.mjs');
    await writeFile(
      script,
      `import { writeFileSync } from 'node:fs';\nprocess.stdin.resume().on('end', () => writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env)));\n`,
    );
    const set = await world.cli(['plan', 'set', 'main', '--notify-command', `${process.execPath} ${script}`], {
      env: secretEnv,
    });
    expect(set.code, set.describe()).toBe(0);
    // The drive is unplugged: the run fails and the hook hears of it.
    const drive = world.drives[0]!.path;
    await rename(drive, `${drive}-away`);
    const run = await world.cli(['run', 'main'], { env: secretEnv });
    await rename(`${drive}-away`, drive);
    expect(run.code, run.describe()).toBe(1);
    const env = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
    expect(env).toMatchObject({ LIFEBOAT_EVENT: 'run-failed', LIFEBOAT_PLAN: 'main', PATH: process.env.PATH });
    expect(JSON.stringify(env)).not.toContain(PASSPHRASE);
    expect(JSON.stringify(env)).not.toContain(OTHER_SECRET);
    expect(
      Object.keys(env)
        .filter((k) => k.startsWith('LIFEBOAT_'))
        .sort(),
    ).toEqual(['LIFEBOAT_EVENT', 'LIFEBOAT_PLAN']);
  });

  it('npm, installing a plugin, does not get them either', async () => {
    // An `npm` first on PATH that writes down its environment, then runs the real one.
    const bin = join(world.root, 'spy-bin');
    const dump = join(world.root, 'npm-env.json');
    await mkdir(bin);
    const realPath = process.env.PATH ?? '';
    await writeFile(
      join(bin, 'npm'),
      `#!/bin/sh\n${JSON.stringify(process.execPath)} -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))' ${JSON.stringify(dump)}\nPATH=${JSON.stringify(realPath)} exec npm "$@"\n`,
    );
    await chmod(join(bin, 'npm'), 0o755);
    const add = await world.cli(['plugins', 'add', fixturePlugin('lifeboat-plugin-tokened')], {
      env: { ...secretEnv, PATH: `${bin}:${realPath}` },
      timeoutMs: 120_000,
    });
    expect(add.code, add.describe()).toBe(0);
    const env = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
    expect(env.PATH).toContain(bin);
    expect(JSON.stringify(env)).not.toContain(PASSPHRASE);
    expect(JSON.stringify(env)).not.toContain(OTHER_SECRET);
  });
});
