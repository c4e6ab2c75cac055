import { type Simulator, startSimulator } from '@lifeboat/icloud-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ICLOUD_ERRORS } from './errors.js';
import { createIcloudSourceFactory } from './factory.js';
import { instanceContext, MapSecrets, scriptedPrompts } from './test-helpers/context.js';

describe('sign-in against the simulated iCloud', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ assets: 10 });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const settings = (appleId = sim.account.appleId) => ({ appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl });

  it('signs in with the password and a trusted-device code, then reuses the trust token without a code', async () => {
    const factory = createIcloudSourceFactory();
    const ctx = instanceContext();
    const prompts = scriptedPrompts({ password: sim.account.password, codes: [{ code: sim.account.code }] });
    await factory.login!(settings(), ctx, prompts);
    expect(ctx.secrets.map.get('trustToken')).toBeTruthy();
    expect(ctx.secrets.map.get('session')).toContain('"sessionToken"');
    expect(JSON.stringify([...ctx.secrets.map.values()])).not.toContain(sim.account.password);

    // A new session (cookies gone) on the same keychain: the trust token spares the code.
    ctx.secrets.map.delete('session');
    const again = scriptedPrompts({ password: sim.account.password });
    await factory.login!(settings(), ctx, again);
    expect(again.asked.filter((q) => q.startsWith('code'))).toEqual([]);
  });

  it('offers SMS to the trusted phones and accepts the code sent that way', async () => {
    const factory = createIcloudSourceFactory();
    const ctx = instanceContext();
    const prompts = scriptedPrompts({ password: sim.account.password, codes: [] });
    let first = true;
    prompts.code = async (request) => {
      if (first) {
        first = false;
        expect(request.methods.length).toBeGreaterThan(0);
        return { method: request.methods[0]!.id };
      }
      expect(request.message).toMatch(/text message/);
      return { code: sim.account.code };
    };
    await factory.login!(settings(), ctx, prompts);
    expect(ctx.secrets.map.get('trustToken')).toBeTruthy();
  });

  it('maps a wrong password and a wrong code to their errors', async () => {
    const factory = createIcloudSourceFactory();
    await expect(
      factory.login!(settings(), instanceContext(), scriptedPrompts({ password: 'wrong password' })),
    ).rejects.toMatchObject({ code: ICLOUD_ERRORS.BAD_PASSWORD });
    await expect(
      factory.login!(
        settings(),
        instanceContext(),
        scriptedPrompts({ password: sim.account.password, codes: [{ code: '000000' }] }),
      ),
    ).rejects.toMatchObject({ code: ICLOUD_ERRORS.BAD_CODE });
  });

  it('signs in s2k_fo and non-2FA accounts', async () => {
    const factory = createIcloudSourceFactory();
    for (const account of sim.accounts) {
      const ctx = instanceContext();
      await factory.login!(
        settings(account.appleId),
        ctx,
        scriptedPrompts({ password: account.password, codes: [{ code: account.code }] }),
      );
      expect(ctx.secrets.map.get('session'), account.appleId).toBeTruthy();
    }
  });

  it('says LOGIN_REQUIRED when a run finds no session', async () => {
    const source = await createIcloudSourceFactory().create(settings(), instanceContext(new MapSecrets()));
    const iterator = source.list({ signal: new AbortController().signal })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: ICLOUD_ERRORS.LOGIN_REQUIRED });
  });

  it('tells the user to set domain=cn when Apple insists on iCloud.com.cn', async () => {
    sim.faults.domainToUse = 'iCloud.com.cn';
    await expect(
      createIcloudSourceFactory().login!(
        settings(),
        instanceContext(),
        scriptedPrompts({ password: sim.account.password }),
      ),
    ).rejects.toMatchObject({ code: ICLOUD_ERRORS.WRONG_DOMAIN, hint: expect.stringContaining('domain=cn') });
  });
});

describe('sessions bound to their account', () => {
  it('does not reuse the session of another Apple ID, and refuses an account without web access', async () => {
    const sim = await startSimulator({ assets: 5 });
    try {
      const factory = createIcloudSourceFactory();
      const ctx = instanceContext();
      const [jane, fo] = sim.accounts;
      await factory.login!(
        { appleId: jane!.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl },
        ctx,
        scriptedPrompts({ password: jane!.password, codes: [{ code: jane!.code }] }),
      );
      const prompts = scriptedPrompts({ password: fo!.password, codes: [{ code: fo!.code }] });
      await factory.login!({ appleId: fo!.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl }, ctx, prompts);
      expect(prompts.asked.some((q) => q.startsWith('password'))).toBe(true);
      expect(JSON.parse(ctx.secrets.map.get('session')!).appleId).toBe(fo!.appleId);

      sim.faults.adp = true;
      await expect(
        factory.login!(
          { appleId: jane!.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl },
          instanceContext(),
          scriptedPrompts({ password: jane!.password, codes: [{ code: jane!.code }] }),
        ),
      ).rejects.toMatchObject({ code: ICLOUD_ERRORS.WEB_ACCESS_OFF });
    } finally {
      await sim.stop();
    }
  });
});

describe('throttled sign-in', () => {
  it('ends the sign-in on a 503 from signin/init with a wait-and-retry message, without retrying into it', async () => {
    const sim = await startSimulator({ assets: 1 });
    try {
      sim.faults.throttleScope = 'auth';
      sim.faults.throttle = 1;
      const error = await createIcloudSourceFactory().login!(
        { appleId: sim.account.appleId, authUrl: sim.authUrl, setupUrl: sim.setupUrl },
        instanceContext(),
        scriptedPrompts({ password: sim.account.password }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ICLOUD_ERRORS.SIGN_IN_LIMITED, retryable: false });
      expect((error as Error).message).toMatch(/Apple is limiting sign-ins; wait \d+ minutes and try again/);
      expect(sim.counters.requests('auth signin/init')).toBe(1);
      expect(sim.counters.requests('auth signin/complete')).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});
