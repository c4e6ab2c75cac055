/**
 * Done-when 3: `lifeboat login` with the device code, by SMS (`--method <phone id>`), with a wrong code, trusted
 * re-login without a code, and a fresh LIFEBOAT_HOME that finds the keychain entries and runs without login.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeboat, lifeboatOk, walkFiles } from '../cli.js';
import {
  addIcloudSource,
  createIcloudWorld,
  expectedFiles,
  type IcloudWorld,
  listedStates,
  usesKeychain,
  verifyDrive,
} from './icloud-world.js';

describe('iCloud sign-in with two-factor authentication through the CLI', () => {
  let world: IcloudWorld;
  beforeAll(async () => {
    world = await createIcloudWorld({ sim: { assets: 16, seed: 9 }, login: false });
  });
  afterAll(async () => {
    await world?.cleanup();
  });
  const requests = (label: string) => world.sim.counters.requests(label);

  it('a wrong code fails with LIFEBOAT_ICLOUD_BAD_CODE and saves nothing', async () => {
    const wrong = await world.login(['--code', '000000']);
    expect(wrong.code, wrong.describe()).not.toBe(0);
    expect(wrong.stderr).toContain('LIFEBOAT_ICLOUD_BAD_CODE');
    expect(wrong.stderr).toMatch(/newest 6-digit code/);
    // Nothing saved: a run still has no session, and asks for a login.
    const run = await world.cli(['run', 'main', '--json']);
    expect(run.code, run.describe()).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('LIFEBOAT_ICLOUD_LOGIN_REQUIRED');
    for (const drive of world.drives) expect(await walkFiles(drive.path)).toEqual([]);
  });

  it('signs in by SMS with --method <phone id>, the ids being those the plugin lists', async () => {
    const listing = await world.login(['--method', 'no-such-method']);
    expect(listing.code).not.toBe(0);
    const available = /Available: (.*)/.exec(listing.stderr)?.[1] ?? '';
    const ids = [...available.matchAll(/(?:^|, )(\S+) \(/g)].map((m) => m[1]!);
    expect(ids.length, listing.describe()).toBeGreaterThanOrEqual(2); // the simulator's two trusted phones
    world.sim.counters.reset();
    const sms = await world.login(['--method', ids[1]!, '--code', world.sim.account.code]);
    expect(sms.code, sms.describe()).toBe(0);
    expect(requests('auth verify/phone')).toBe(1);
    expect(requests('auth verify/phone/securitycode')).toBe(1);
    expect(requests('auth verify/trusteddevice/securitycode')).toBe(0);
    expect(requests('auth 2sv/trust')).toBe(1);
    const report = await world.runOk();
    expect(report.ok).toBe(true);
  }, 60_000);

  it('signs in with the code of a trusted device', async () => {
    world.sim.expireTrustTokens();
    world.sim.expireSessions();
    world.sim.counters.reset();
    const device = await world.login(['--code', world.sim.account.code]);
    expect(device.code, device.describe()).toBe(0);
    expect(requests('auth verify/trusteddevice/securitycode')).toBe(1);
    expect(requests('auth verify/phone')).toBe(0);
    expect(requests('auth 2sv/trust')).toBe(1);
  });

  it('a second login within the trust period needs no code', async () => {
    world.sim.expireSessions(); // the stored session is no longer enough: a real sign-in must happen
    world.sim.counters.reset();
    const trusted = await world.login([]);
    expect(trusted.code, trusted.describe()).toBe(0);
    expect(requests('auth signin/complete')).toBe(1);
    expect(world.sim.counters.snapshot().responses['auth signin/complete 200']).toBe(1);
    expect(requests('auth verify/trusteddevice/securitycode')).toBe(0);
    expect(requests('auth verify/phone/securitycode')).toBe(0);
    const report = await world.runOk();
    expect(report.failures).toEqual([]);
  });

  it('a fresh LIFEBOAT_HOME with the same source name finds the keychain entries and runs without login', async () => {
    const home2 = join(world.root, 'home2');
    const env = world.env;
    if (!usesKeychain()) {
      // Outside scripts/test.sh the vault file stands in for the keychain: it lives in LIFEBOAT_HOME, so carry it.
      const { mkdir } = await import('node:fs/promises');
      await mkdir(home2, { recursive: true });
      await copyFile(join(world.home, 'secrets.vault'), join(home2, 'secrets.vault'));
    }
    const drive = join(world.root, 'drive-c');
    await lifeboatOk(['destination', 'add', 'disk', 'drive-c', '--set', `path=${drive}`], { home: home2, env });
    // With the session already stored, the documented `source add` works.
    const { addedBy, result } = await addIcloudSource(world.sim, world.source, { home: home2, env });
    expect(addedBy, result.describe()).toBe('cli');
    await lifeboatOk(['plan', 'add', 'main', '--source', world.source, '--destination', 'drive-c'], {
      home: home2,
      env,
    });
    world.sim.counters.reset();
    const run = await lifeboat(['run', 'main', '--json'], { home: home2, env });
    expect(run.code, run.describe()).toBe(0);
    expect(requests('auth signin/init')).toBe(0); // no sign-in at all: the stored session was enough
    const expected = expectedFiles(world.sim.library, listedStates(world.sim.library));
    expect(run.json<{ filesCopied: number }>().filesCopied).toBe(expected.length);
    expect((await verifyDrive(drive, expected)).problems).toEqual([]);
  }, 60_000);
});
