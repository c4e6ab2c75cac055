import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, lifeboat, makeTempDir, removeDir } from '../cli.js';
import { expectCleanFailure } from './expect.js';

// Issue 16, class 9: a config that is valid JSON but not an object was read as empty and overwritten by the next
// change, losing every source, destination and plan.
describe('a config file that is valid JSON but not an object', () => {
  let root: string;
  beforeAll(async () => {
    assertCliBuilt();
    root = await makeTempDir('lifeboat-gaps-config-');
  });
  afterAll(() => removeDir(root));

  const values = ['null', '42', '[{"sources": {}}]', '"sources"', 'true', '\uFEFF[]\n'];

  it.each(values)('%j is refused by reading and changing commands, and the file is left as it was', async (value) => {
    const home = join(root, `home-${values.indexOf(value)}`);
    const config = join(home, 'config.json');
    await lifeboat(['source', 'list'], { home }); // creates the state folder
    await writeFile(config, value);
    const commands = [
      ['source', 'list'],
      ['status'],
      ['source', 'add', 'folder', 'p', '--set', `path=${root}`],
      ['destination', 'add', 'disk', 'd', '--set', `path=${join(root, 'd')}`],
      ['plan', 'add', 'x', '--source', 'p', '--destination', 'd'],
    ];
    for (const args of commands) {
      const result = await lifeboat(args, { home });
      expectCleanFailure(result, 'config.json', /not an object/, /LIFEBOAT_CONFIG/);
      expect(result.code, result.describe()).toBe(2);
      expect(await readFile(config, 'utf8'), `config rewritten by: lifeboat ${args.join(' ')}`).toBe(value);
    }
  });

  it('an empty object is still a valid (empty) config', async () => {
    const home = join(root, 'home-empty');
    await lifeboat(['source', 'list'], { home });
    await writeFile(join(home, 'config.json'), '{}');
    const added = await lifeboat(['source', 'add', 'folder', 'p', '--set', `path=${root}`], { home });
    expect(added.code, added.describe()).toBe(0);
  });
});
