import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from './errors.js';
import { createIcloudSourceFactory } from './factory.js';
import { instanceContext, scriptedPrompts } from './test-helpers/context.js';
import { listAll, signedInSource } from './test-helpers/sim.js';

/** What Apple answers users of other clients, and what Lifeboat must say instead of "wrong password". */
describe('sign-in hardening against the simulated iCloud', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({
      assets: 30,
      accounts: [
        { appleId: 'jane@lifeboat.test', password: 'correct horse battery staple' },
        { appleId: 'key@lifeboat.test', password: 'hardware-key-owner', securityKeys: ['YubiKey 5C', 'Office key'] },
        { appleId: 'adp@lifeboat.test', password: 'adp-on-web-off', advancedDataProtection: true, webAccess: false },
      ],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const login = (appleId: string, password: string, code = '123456') =>
    createIcloudSourceFactory().login!(
      { appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl },
      instanceContext(),
      scriptedPrompts({ password, codes: [{ code }] }),
    ).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string; hint?: string; retryable: boolean },
    );

  it('does not call a 403 from signin/complete a wrong password', async () => {
    sim.faults.signinForbidden = 1;
    const error = await login(sim.account.appleId, sim.account.password);
    expect(error).toMatchObject({ code: ICLOUD_ERRORS.SIGN_IN_REFUSED, retryable: false });
    expect(error?.message).toMatch(/403.*not a wrong password/);
    expect(error?.hint).toMatch(/wait 15 minutes/);
    expect(sim.counters.requests('auth signin/complete')).toBe(1);
    // The same password is accepted once Apple stops refusing: it was never the password.
    expect(await login(sim.account.appleId, sim.account.password)).toBeUndefined();
  });

  it('detects an account whose second factor is a security key, names the keys and says what to do', async () => {
    const error = await login('key@lifeboat.test', 'hardware-key-owner');
    expect(error).toMatchObject({ code: ICLOUD_ERRORS.SECURITY_KEY });
    expect(error?.message).toContain('YubiKey 5C, Office key');
    expect(error?.hint).toMatch(/Security Keys/);
    expect(sim.counters.requests('auth verify/trusteddevice/securitycode')).toBe(0);
  });

  it('detects Advanced Data Protection with web access off at sign-in and names both fixes', async () => {
    const error = await login('adp@lifeboat.test', 'adp-on-web-off');
    expect(error).toMatchObject({ code: ICLOUD_ERRORS.WEB_ACCESS_OFF });
    expect(error?.message).toMatch(/Advanced Data Protection is on/);
    expect(error?.hint).toMatch(/Access iCloud Data on the Web/);
    expect(error?.hint).toMatch(/turn off Advanced Data Protection/);
  });

  it('detects web access switched off under ADP in the middle of a run (CloudKit: ZONE_NOT_FOUND)', async () => {
    const { source, cleanup } = await signedInSource(sim);
    try {
      const account = sim.accounts[0]!;
      const iterator = source.list({ signal: new AbortController().signal })[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      account.advancedDataProtection = true;
      account.webAccess = false;
      let error: unknown;
      try {
        for (;;) if ((await iterator.next()).done) break;
      } catch (e) {
        error = e;
      }
      expect(sim.counters.snapshot().responses).toMatchObject({ 'ck private records/query 404': 1 });
      expect(error).toMatchObject({
        code: ICLOUD_ERRORS.WEB_ACCESS_OFF,
        hint: expect.stringMatching(/Access iCloud Data on the Web.*turn off Advanced Data Protection/),
      });
    } finally {
      await cleanup();
    }
  });

  it('follows the account to its new partition after a 421 Misdirected Request, once', async () => {
    const { source, cleanup } = await signedInSource(sim);
    try {
      const before = await listAll(source); // the session is resumed: its ckdatabasews URL is known
      sim.counters.reset();
      sim.movePartition();
      const assets = await listAll(source);
      expect(assets.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
      // The first CloudKit request was misdirected (undici repeats a 421 once itself), then accountLogin again.
      expect(sim.counters.requests('setup accountLogin')).toBe(1);
      const misdirected = Object.entries(sim.counters.snapshot().responses).filter(([k]) => k.endsWith(' 421'));
      expect(misdirected.length).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  });

  it('stops with a clear error when every CloudKit request stays misdirected after re-resolving', async () => {
    const { source, cleanup } = await signedInSource(sim);
    try {
      await listAll(source);
      sim.counters.reset();
      sim.faults.misdirect = true;
      await expect(listAll(source)).rejects.toMatchObject({
        code: ICLOUD_ERRORS.MISDIRECTED,
        message: expect.stringMatching(/421 Misdirected Request/),
      });
      expect(sim.counters.requests('setup accountLogin')).toBe(1);
      expect(sim.counters.requests('ck ', true)).toBeLessThanOrEqual(4);
    } finally {
      await cleanup();
    }
  });
});
