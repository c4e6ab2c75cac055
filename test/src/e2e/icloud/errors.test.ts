/**
 * Done-when 5: web access off (ACCESS_DENIED), indexing not finished and `domainToUse` each end the CLI with the
 * error code and what to do, a non-zero exit, and nothing written to the drives.
 */

import { defaultFaults } from '@lifeboat/icloud-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { walkFiles } from '../cli.js';
import { createIcloudWorld, type IcloudWorld } from './icloud-world.js';

describe('iCloud refusals end with a clear message', () => {
  let world: IcloudWorld;
  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 20, seed: 23 } });
  });
  afterAll(async () => {
    await world?.cleanup();
  });
  beforeEach(() => {
    Object.assign(world.sim.faults, defaultFaults());
  });

  async function failingRun(code: string, hint: RegExp) {
    const result = await world.cli(['run', 'main', '--json']);
    expect(result.code, result.describe()).not.toBe(0);
    expect(result.code, result.describe()).not.toBeNull();
    // --json: the error is the JSON document on stdout, with its code and the what-to-do hint.
    // --json: the run report, not ok, names the failure by its code.
    const report = result.json<{ ok: boolean; filesCopied: number; failures: Array<{ code: string }> }>();
    expect(report.ok).toBe(false);
    expect(report.filesCopied).toBe(0);
    expect(report.failures.map((f) => f.code)).toContain(code);
    // Without --json, the same on stderr for a person.
    const plain = await world.cli(['run', 'main']);
    expect(plain.code, plain.describe()).toBe(result.code);
    expect(plain.stderr, plain.describe()).toContain(code);
    expect(plain.stderr, plain.describe()).toMatch(hint);
    for (const drive of world.drives) expect(await walkFiles(drive.path), drive.name).toEqual([]);
    return result;
  }

  it('web access off / ADP (ACCESS_DENIED): turn on Access iCloud Data on the Web', async () => {
    world.sim.faults.accessDenied = true;
    world.sim.faults.adp = true;
    await failingRun('LIFEBOAT_ICLOUD_WEB_ACCESS_OFF', /Access iCloud Data on the Web/);
  });

  it('indexing not finished: try again later', async () => {
    world.sim.faults.indexingNotFinished = true;
    await failingRun('LIFEBOAT_ICLOUD_INDEXING', /try again later/);
  });

  it('domainToUse (China), at a run that must renew its session: set domain=cn', async () => {
    world.sim.faults.domainToUse = 'iCloud.com.cn';
    world.sim.expireSessions();
    await failingRun('LIFEBOAT_ICLOUD_WRONG_DOMAIN', /domain=cn/);
  });

  it('domainToUse (China), at login: set domain=cn', async () => {
    world.sim.faults.domainToUse = 'iCloud.com.cn';
    world.sim.expireSessions();
    const login = await world.login();
    expect(login.code, login.describe()).not.toBe(0);
    expect(login.stderr).toContain('LIFEBOAT_ICLOUD_WRONG_DOMAIN');
    expect(login.stderr).toMatch(/what to do: .*domain=cn/);
  });
});
