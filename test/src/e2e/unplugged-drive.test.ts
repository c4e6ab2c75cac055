/**
 * `destination add` for a drive that is not plugged in: the path is under a removable-media root but the nearest
 * folder that exists is on the system disk. Creating it there would back up onto the system disk's empty mount
 * point, so it is refused with the reason, unless --create.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, lifeboat, makeTempDir, removeDir } from './cli.js';

describe('destination add on an unplugged drive', () => {
  let root: string;
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    assertCliBuilt();
    root = await makeTempDir();
    home = join(root, 'home');
    await mkdir(join(root, 'media', 'me'), { recursive: true });
    env = { LIFEBOAT_REMOVABLE_ROOTS: join(root, 'media') };
  });
  afterAll(() => removeDir(root));

  it('refuses a path under a removable-media root whose drive is not there, saying why, and creates nothing', async () => {
    const path = join(root, 'media', 'me', 'MyPassport', 'Lifeboat');
    const add = await lifeboat(['destination', 'add', 'disk', 'passport', '--set', `path=${path}`], { home, env });
    expect(add.code, add.describe()).toBe(2);
    expect(add.stderr).toContain(`${join(root, 'media', 'me')} (the nearest part that exists) is on the system disk`);
    expect(add.stderr).toContain('drive looks unplugged');
    expect(add.stderr).toContain('--create');
    expect(existsSync(join(root, 'media', 'me', 'MyPassport'))).toBe(false);
    const list = await lifeboat(['destination', 'list', '--json'], { home, env });
    expect(list.json()).toEqual([]);
  });

  it('creates it with --create', async () => {
    const path = join(root, 'media', 'me', 'MyPassport', 'Lifeboat');
    const add = await lifeboat(['destination', 'add', 'disk', 'passport', '--set', `path=${path}`, '--create'], {
      home,
      env,
    });
    expect(add.code, add.describe()).toBe(0);
    expect(existsSync(join(path, '.lifeboat'))).toBe(true);
  });

  it('accepts a path outside the removable-media roots as before', async () => {
    const path = join(root, 'backups', 'Lifeboat');
    const add = await lifeboat(['destination', 'add', 'disk', 'local', '--set', `path=${path}`], { home, env });
    expect(add.code, add.describe()).toBe(0);
  });
});
