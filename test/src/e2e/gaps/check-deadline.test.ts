import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePlugin } from '../plugins/plugin-world.js';
import { type BackupWorld, createBackupWorld } from '../world.js';

// Issue 16, class 4 (the `check` part): a destination that never answers (a hung NAS mount, a dead peer) hung
// `lifeboat check`, so monitoring never alerted. `check` has its own deadline and names the hung part.
describe('`lifeboat check` with a destination that never answers', () => {
  let world: BackupWorld;
  let hangFile: string;
  beforeAll(async () => {
    world = await createBackupWorld({ count: 3, seed: 1604 }, ['drive-a']);
    hangFile = join(world.root, 'hang-now');
    const steps = [
      ['plugins', 'add', fixturePlugin('lifeboat-plugin-never-answers')],
      [
        'destination',
        'add',
        'stuck',
        'nas',
        '--set',
        `path=${join(world.root, 'nas')}`,
        '--set',
        `hangFile=${hangFile}`,
      ],
      ['plan', 'add', 'offsite', '--source', 'photos', '--destination', 'nas'],
      ['run', 'main'],
      ['run', 'offsite'],
    ];
    for (const args of steps) {
      const result = await world.cli(args, { timeoutMs: 120_000 });
      if (result.code !== 0) throw new Error(result.describe());
    }
  }, 240_000);
  afterAll(() => world?.cleanup());

  it('reports the hung destination by name within its deadline, exit 1, and still checks the rest', async () => {
    await writeFile(hangFile, 'the mount stops answering');
    const started = Date.now();
    const result = await world.cli(['check', '--timeout', '2s', '--json'], { timeoutMs: 30_000 });
    expect(result.code, result.describe()).toBe(1);
    expect(Date.now() - started, 'check returned soon after its deadline').toBeLessThan(15_000);
    const report = result.json<{ ok: boolean; problems: Array<{ kind: string; name: string; message: string }> }>();
    expect(report.problems).toEqual([
      {
        kind: 'destination-unreachable',
        name: 'nas',
        message: expect.stringMatching(/destination "nas" did not answer within 2 s/),
      },
    ]);
  });

  it('the text output names it too', async () => {
    const result = await world.cli(['check', '--timeout', '2s'], { timeoutMs: 30_000 });
    expect(result.code, result.describe()).toBe(1);
    expect(result.stdout).toMatch(/PROBLEM destination "nas": unreachable: .*did not answer within 2 s/);
  });
});
